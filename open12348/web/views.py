from django.db.models import Count
from django.shortcuts import render

from open12348.accounts.permissions import require_capability
from open12348.accounts.roles import Capability
from open12348.network.choices import InstitutionKind, ServicePointKind
from open12348.network.models import Institution, Practitioner, ServicePoint


def home(request):
    """The public landing page: what the platform offers and the way to the directory."""
    return render(request, "web/home.html", {"institution_kinds": InstitutionKind.choices})


@require_capability(Capability.CONSOLE)
def console(request):
    from open12348.accounts.scope import restrict_to_regions

    user = request.user
    points = dict(
        restrict_to_regions(ServicePoint.objects.all(), user=user).values_list("kind").annotate(n=Count("id"))
    )
    context = {
        "roles": list(user.memberships.filter(is_active=True).select_related("institution")),
        "institution_count": restrict_to_regions(Institution.objects.all(), user=user).count(),
        "practitioner_count": restrict_to_regions(Practitioner.objects.all(), user=user).count(),
        "point_counts": [(label, points.get(value, 0)) for value, label in ServicePointKind.choices],
    }
    return render(request, "web/console.html", context)
