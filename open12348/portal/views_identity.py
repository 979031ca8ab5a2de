"""Proving a phone by SMS code, signing out, consents, and the optional account ("My records")."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from open12348.core.crypto import decrypt, encrypt
from open12348.core.errors import ApplicationError
from open12348.core.masking import mask_phone
from open12348.core.middleware import client_ip
from open12348.core.ratelimit import ratelimit_hit

from . import services
from .choices import ConsentPurpose
from .forms import CodeForm, ConsentForm, PhoneForm, add_service_error
from .identity import (
    citizen_phone,
    citizen_phone_hash,
    citizen_required,
    citizen_sign_in,
    citizen_sign_out,
    safe_next,
)
from .notices import current_notice_version
from .selectors import citizen_consents, citizen_records
from .views import optional_url

PENDING_KEY = "portal_pending_phone"


def _pending_phone(request: HttpRequest) -> str | None:
    token = request.session.get(PENDING_KEY)
    if not token:
        return None
    try:
        return decrypt(token)
    except ValueError:
        request.session.pop(PENDING_KEY, None)
        return None


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Step 1: the mobile number, and agreement to how it is used; sends the code."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "GET" and citizen_phone(request) is not None:
        return redirect(next_url)
    form = PhoneForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.sms_code_send(phone=form.cleaned_data["phone"], ip=client_ip(request))
        except ApplicationError as exc:
            add_service_error(form, exc)
            status = exc.status
        else:
            request.session[PENDING_KEY] = encrypt(sent.phone)
            return redirect(f"{reverse('portal:verify_code')}?{urlencode({'next': next_url})}")
    if form.errors and status == 200:
        status = 400
    return render(request, "portal/verify_phone.html", {"form": form, "next": next_url}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def verify_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the code from the text message. "Send again" and "change the number" are here too."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    phone = _pending_phone(request)
    if phone is None:
        return redirect(f"{reverse('portal:verify')}?{urlencode({'next': next_url})}")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and "resend" in request.POST:
        form = CodeForm()
        try:
            services.sms_code_send(phone=phone, ip=client_ip(request))
            messages.success(request, _("A new code is on its way. The old one no longer works."))
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
            status = 429
    elif request.method == "POST" and form.is_valid():
        try:
            ratelimit_hit(scope="portal.sms_verify", ip=client_ip(request), account=citizen_phone_hash(phone))
            phone = services.sms_code_verify(phone=phone, code=form.cleaned_data["code"])
        except ApplicationError as exc:
            add_service_error(form, exc)
            status = exc.status if exc.status == 429 else status
        else:
            citizen_sign_in(request, phone=phone)
            phone_hash = citizen_phone_hash(phone)
            services.consent_record(phone_hash=phone_hash, purpose=ConsentPurpose.BASIC)
            services.account_touch(phone_hash=phone_hash)
            return redirect(next_url)
    if form.errors and status == 200:
        status = 400
    context = {"form": form, "next": next_url, "masked_phone": mask_phone(phone),
               "wait_seconds": services.wait_seconds(phone=phone)}
    return render(request, "portal/verify_code.html", context, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    citizen_sign_out(request)
    messages.info(request, _("You have signed out on this phone."))
    return redirect("portal:home")


@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required
def consent(request: HttpRequest) -> HttpResponse:
    """The notice of one purpose, and a box to tick (never ticked for the citizen)."""
    purpose = request.POST.get("purpose") or request.GET.get("purpose") or ""
    if purpose not in ConsentPurpose.values:
        raise Http404
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    phone_hash = citizen_phone_hash(citizen_phone(request))
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.consent_record(phone_hash=phone_hash, purpose=purpose)
        return redirect(next_url)
    context = {"form": form, "purpose": purpose, "purpose_label": ConsentPurpose(purpose).label, "next": next_url,
               "notice_version": current_notice_version(purpose)}
    return render(request, "portal/consent.html", context, status=400 if form.errors else 200)


@never_cache
@citizen_required
def mine(request: HttpRequest) -> HttpResponse:
    """Everything this phone asked and applied for, if they keep an account; else how to find an item."""
    phone = citizen_phone(request)
    phone_hash = citizen_phone_hash(phone)
    account = services.account_for(phone_hash=phone_hash)
    records = citizen_records(phone_hash=phone_hash) if account else None
    if records is not None:
        # Part B's pages, linked when they are installed.
        for draft in records.submitted:
            draft.track_url = optional_url("portal:track_detail", draft.submitted_application_id)
        for draft in records.drafts:
            draft.resume_url = optional_url("portal:apply_resume", draft.pk)
    context = {"portal_section": "mine", "account": account, "masked_phone": mask_phone(phone), "records": records}
    return render(request, "portal/mine.html", context)


@require_POST
@citizen_required
def account_open(request: HttpRequest) -> HttpResponse:
    if not request.POST.get("agree"):
        messages.error(request, _("Tick the box if you want us to keep your list."))
        return redirect("portal:mine")
    services.account_open(phone=citizen_phone(request))
    messages.success(request, _("Done. Everything you ask or apply for with this number is listed here."))
    return redirect("portal:mine")


@require_POST
@citizen_required
def account_close(request: HttpRequest) -> HttpResponse:
    services.account_close(phone=citizen_phone(request))
    messages.success(request, _("Your list is closed. Your questions and applications are still handled as before."))
    return redirect("portal:mine")


@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required
def consents(request: HttpRequest) -> HttpResponse:
    """What this phone agreed to, and a button to withdraw each."""
    phone_hash = citizen_phone_hash(citizen_phone(request))
    if request.method == "POST":
        purpose = request.POST.get("purpose", "")
        if purpose not in ConsentPurpose.values:
            raise Http404
        services.consent_withdraw(phone_hash=phone_hash, purpose=purpose)
        messages.success(request, _("Your agreement is withdrawn. We will ask again before we need it."))
        return redirect("portal:consents")
    context = {"portal_section": "mine", "consents": citizen_consents(phone_hash=phone_hash)}
    return render(request, "portal/consents.html", context)
