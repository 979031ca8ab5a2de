"""The staff console for the service network: scoped lists, details, the audited reveal of
private details, and the edit forms that go through network/services.py.

Reads come from network/selectors.py (`*_visible_to`) and network/access.py (`access_*`), so a
record outside the user's region subtree is the same 404 as a missing one.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from open12348.accounts.permissions import require_capability, user_can
from open12348.accounts.roles import Capability
from open12348.core.errors import ApplicationError
from open12348.core.forms import apply_validation_error
from open12348.core.masking import mask_id_number, mask_phone

from . import services as network_services
from .access import access_institution, access_practitioner
from .choices import InstitutionKind, PractitionerKind
from .forms import (
    ConsoleFilterForm,
    InstitutionForm,
    PractitionerForm,
    apply_application_error,
)
from .selectors import institution_list_visible_to, practitioner_list_visible_to

PAGE_SIZE = 20
# How many of an institution's practitioners its detail page lists before pointing to the search.
INSTITUTION_PEOPLE_SHOWN = 50
_PRIVATE_FIELDS = network_services.PRACTITIONER_PROTECTED


def _optional_url(name: str, *args) -> str | None:
    """The edit/create pages are wired in network/urls.py separately; hide their links until they are."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _page(request, queryset):
    paginator = Paginator(queryset, PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- institutions --------------------------------------------------------------------------

@require_capability(Capability.NETWORK_VIEW)
def institution_list(request):
    form = ConsoleFilterForm(request.GET or None, kind_choices=InstitutionKind.choices)
    page = _page(request, institution_list_visible_to(user=request.user, filters=form.filters()))
    return render(request, "network/console/institution_list.html", {
        "form": form,
        "page": page,
        "query": _query_without_page(request),
        "create_url": _optional_url("network:console_institution_create")
        if user_can(request.user, Capability.NETWORK_MANAGE) else None,
    })


@require_capability(Capability.NETWORK_VIEW)
def institution_detail(request, pk: int):
    institution = access_institution(user=request.user, id=pk)
    people = (
        practitioner_list_visible_to(user=request.user)
        .filter(institution=institution)
        .defer(*_PRIVATE_FIELDS)[:INSTITUTION_PEOPLE_SHOWN]
    )
    return render(request, "network/console/institution_detail.html", {
        "institution": institution,
        "services": list(institution.services.all()),
        "people": people,
        "people_limit": INSTITUTION_PEOPLE_SHOWN,
        "edit_url": _optional_url("network:console_institution_edit", institution.pk)
        if user_can(request.user, Capability.NETWORK_MANAGE) else None,
    })


# --- practitioners -------------------------------------------------------------------------

@require_capability(Capability.NETWORK_VIEW)
def practitioner_list(request):
    form = ConsoleFilterForm(request.GET or None, kind_choices=PractitionerKind.choices)
    show_private = user_can(request.user, Capability.NETWORK_PRIVATE)
    qs = practitioner_list_visible_to(user=request.user, filters=form.filters())
    if not show_private:
        qs = qs.defer(*_PRIVATE_FIELDS)  # never even decrypted for users who may not see them
    page = _page(request, qs)
    rows = [
        {
            "obj": p,
            "id_number": mask_id_number(p.id_number) if show_private else "",
            "mobile": mask_phone(p.mobile) if show_private else "",
        }
        for p in page.object_list
    ]
    return render(request, "network/console/practitioner_list.html", {
        "form": form,
        "page": page,
        "rows": rows,
        "show_private": show_private,
        "query": _query_without_page(request),
        "create_url": _optional_url("network:console_practitioner_create")
        if user_can(request.user, Capability.NETWORK_MANAGE) else None,
    })


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(Capability.NETWORK_VIEW)
def practitioner_detail(request, pk: int):
    """GET shows masks (to NETWORK_PRIVATE users) or nothing; POST "reveal" shows the full values.

    Revealing is a POST, not a GET flag, because it writes an audit row and puts personal data on
    screen: a POST needs the CSRF token (another site cannot trigger it with an <img>), is not
    prefetched, bookmarked, or replayed from history, and the response is never cached.
    """
    practitioner = access_practitioner(user=request.user, id=pk)  # scope first: outsiders get 404, not 403
    show_private = user_can(request.user, Capability.NETWORK_PRIVATE)
    revealed = None
    if request.method == "POST":
        revealed = network_services.practitioner_private_view(actor=request.user, practitioner=practitioner)
    private = None
    if revealed is not None:
        private = {**revealed, "full": True}
    elif show_private:
        private = {"id_number": mask_id_number(practitioner.id_number), "mobile": mask_phone(practitioner.mobile),
                   "full": False}
    return render(request, "network/console/practitioner_detail.html", {
        "practitioner": practitioner,
        "specialties": list(practitioner.specialties.all()),
        "private": private,
        "can_reveal": show_private,
        "edit_url": _optional_url("network:console_practitioner_edit", practitioner.pk)
        if user_can(request.user, Capability.NETWORK_MANAGE) else None,
    })


# --- edit forms (NETWORK_MANAGE) -----------------------------------------------------------

def _submit(form, write):
    """Run the service with the form's data; on refusal put the message on the form and return None."""
    try:
        return write(form.service_data())
    except ApplicationError as exc:
        apply_application_error(form, exc)
    except ValidationError as exc:
        apply_validation_error(form, exc)
    return None


@require_http_methods(["GET", "POST"])
@require_capability(Capability.NETWORK_MANAGE)
def institution_create(request):
    form = InstitutionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        institution = _submit(form, lambda data: network_services.institution_create(actor=request.user, data=data))
        if institution is not None:
            messages.success(request, _("The institution has been added."))
            return redirect("network:console_institution_detail", pk=institution.pk)
    return render(request, "network/console/institution_form.html", {
        "form": form, "institution": None, "cancel_url": reverse("network:console_institutions"),
    })


@require_http_methods(["GET", "POST"])
@require_capability(Capability.NETWORK_MANAGE)
def institution_edit(request, pk: int):
    institution = access_institution(user=request.user, id=pk)
    if request.method == "POST":
        form = InstitutionForm(request.POST, user=request.user)
        if form.is_valid():
            updated = _submit(
                form, lambda data: network_services.institution_update(actor=request.user, institution=institution, data=data)
            )
            if updated is not None:
                messages.success(request, _("Your changes to the institution have been saved."))
                return redirect("network:console_institution_detail", pk=institution.pk)
    else:
        form = InstitutionForm(initial=InstitutionForm.initial_from(institution), user=request.user)
    return render(request, "network/console/institution_form.html", {
        "form": form, "institution": institution,
        "cancel_url": reverse("network:console_institution_detail", args=[institution.pk]),
    })


@require_http_methods(["GET", "POST"])
@require_capability(Capability.NETWORK_MANAGE)
def practitioner_create(request):
    show_private = user_can(request.user, Capability.NETWORK_PRIVATE)
    form = PractitionerForm(request.POST or None, user=request.user, show_private=show_private)
    if request.method == "POST" and form.is_valid():
        practitioner = _submit(form, lambda data: network_services.practitioner_create(actor=request.user, data=data))
        if practitioner is not None:
            messages.success(request, _("The practitioner has been added."))
            return redirect("network:console_practitioner_detail", pk=practitioner.pk)
    return render(request, "network/console/practitioner_form.html", {
        "form": form, "practitioner": None, "cancel_url": reverse("network:console_practitioners"),
    })


@require_http_methods(["GET", "POST"])
@require_capability(Capability.NETWORK_MANAGE)
def practitioner_edit(request, pk: int):
    practitioner = access_practitioner(user=request.user, id=pk)
    show_private = user_can(request.user, Capability.NETWORK_PRIVATE)
    if request.method == "POST":
        form = PractitionerForm(request.POST, user=request.user, show_private=show_private)
        if form.is_valid():
            updated = _submit(
                form, lambda data: network_services.practitioner_update(actor=request.user, practitioner=practitioner, data=data)
            )
            if updated is not None:
                messages.success(request, _("Your changes to the practitioner have been saved."))
                return redirect("network:console_practitioner_detail", pk=practitioner.pk)
    else:
        form = PractitionerForm(initial=PractitionerForm.initial_from(practitioner), user=request.user,
                                show_private=show_private)
    return render(request, "network/console/practitioner_form.html", {
        "form": form, "practitioner": practitioner,
        "cancel_url": reverse("network:console_practitioner_detail", args=[practitioner.pk]),
    })

