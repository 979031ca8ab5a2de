"""Rating a consultation, a legal aid case or an application ("portal:rate", see consult/services.py)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from open12348.consult.choices import DISSATISFIED_AT_OR_BELOW, RatingSubject
from open12348.consult.services_ratings import (
    rate_url,
    rating_existing,
    rating_not_ready_reason,
    rating_subject_find,
    rating_submit,
    subject_kind,
)
from open12348.core.errors import ApplicationError
from open12348.core.ratelimit import RateLimited

from .forms import add_service_error
from .forms_consult import RatingForm
from .identity import citizen_phone, citizen_phone_hash, citizen_required
from .limits import citizen_ratelimit


@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required
def rate(request: HttpRequest) -> HttpResponse:
    phone = citizen_phone(request)
    phone_hash = citizen_phone_hash(phone)
    kind = request.GET.get("kind", "")
    try:
        subject = rating_subject_find(phone_hash=phone_hash, kind=kind, ref=request.GET.get("ref", ""))
    except ApplicationError as exc:
        return render(request, "portal/rate/not_found.html", {"message": exc.message}, status=404)
    context = {"subject": subject, "kind": subject_kind(subject), "kind_label": RatingSubject(kind).label,
               "existing": rating_existing(phone_hash=phone_hash, subject=subject),
               "not_ready": rating_not_ready_reason(subject)}
    if context["existing"] is not None or context["not_ready"]:
        return render(request, "portal/rate/rate.html", context)
    form = RatingForm(request.POST or None)
    limited = False
    if request.method == "POST" and form.is_valid():
        try:
            citizen_ratelimit(request, "portal.rate")
            rating = rating_submit(phone=phone, subject=subject, level=form.cleaned_data["level"],
                                   comment=form.cleaned_data["comment"])
        except ApplicationError as exc:
            add_service_error(form, exc)
            limited = isinstance(exc, RateLimited)
        else:
            if rating.level <= DISSATISFIED_AT_OR_BELOW:
                messages.warning(request, _("We are sorry. Someone from the judicial bureau will call you back "
                                            "within a few working days."))
            else:
                messages.success(request, _("Thank you for your rating."))
            return redirect(rate_url(subject))
    context["form"] = form
    return render(request, "portal/rate/rate.html", context, status=429 if limited else 400 if form.errors else 200)
