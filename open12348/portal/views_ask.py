"""Asking a lawyer online, following the answer, and the public Q&A library."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from open12348.consult import services as consult
from open12348.consult.access import access_question_of_phone
from open12348.consult.choices import QuestionStatus
from open12348.consult.selectors import library_entry_public, library_search, question_thread
from open12348.consult.services_ratings import rate_url, rating_existing
from open12348.core.errors import ApplicationError
from open12348.core.ratelimit import RateLimited

from .choices import ConsentPurpose
from .consent import consent_required
from .forms import TrackingCodeForm, add_service_error
from .forms_consult import AskForm, FollowUpForm, LibrarySearchForm
from .identity import citizen_phone, citizen_phone_hash, citizen_required
from .limits import citizen_ratelimit

LIBRARY_PAGE_SIZE = 10


def poll_seconds() -> int:
    """How often a waiting question's page asks whether the answer came (PORTAL_POLL_SECONDS)."""
    return max(int(getattr(settings, "PORTAL_POLL_SECONDS", 20)), 1)


def _own_question(request: HttpRequest, code: str):
    return access_question_of_phone(phone_hash=citizen_phone_hash(citizen_phone(request)), code=code)


@never_cache
@require_http_methods(["GET", "POST"])
@consent_required(ConsentPurpose.SENSITIVE)
def ask(request: HttpRequest) -> HttpResponse:
    form = AskForm(request.POST or None, request.FILES or None)
    limited = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            citizen_ratelimit(request, "portal.ask")
            question = consult.question_ask(
                phone=citizen_phone(request), region=data["region"], category=data["category"], text=data["text"],
                wants_public=data["wants_public"], submit_token=data["submit_token"],
                attachment=data.get("attachment"),
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
            limited = isinstance(exc, RateLimited)
        else:
            messages.success(request, _("Your question has been sent. Keep the tracking code %(code)s; we have also "
                                        "sent it to you by text message.") % {"code": question.tracking_code})
            return redirect("portal:question", code=question.tracking_code)
    return render(request, "portal/ask/ask.html", {"portal_section": "ask", "form": form},
                  status=429 if limited else 400 if form.errors else 200)


@never_cache
@require_safe
@citizen_required
def question(request: HttpRequest, code: str) -> HttpResponse:
    found = _own_question(request, code)
    phone_hash = citizen_phone_hash(citizen_phone(request))
    context = {
        "portal_section": "ask", "question": found, "thread": question_thread(question=found),
        "attachments": list(found.attachments.all()), "follow_up_form": FollowUpForm(),
        "rate_url": rate_url(found), "rating": rating_existing(phone_hash=phone_hash, subject=found),
        "waiting": found.status == QuestionStatus.WAITING, "poll_seconds": poll_seconds(),
    }
    return render(request, "portal/ask/question.html", context)


@never_cache
@require_safe
@citizen_required
def question_version(request: HttpRequest, code: str) -> JsonResponse:
    """What the page's small script polls while a question waits: it reloads when the version moves."""
    found = _own_question(request, code)
    return JsonResponse({"version": found.version, "status": found.status})


@require_POST
@citizen_required
def question_follow_up(request: HttpRequest, code: str) -> HttpResponse:
    found = _own_question(request, code)
    form = FollowUpForm(request.POST)
    limited = False
    if form.is_valid():
        try:
            citizen_ratelimit(request, "portal.follow_up")
            reply = consult.question_follow_up(phone_hash=found.phone_hash, question=found,
                                               text=form.cleaned_data["text"])
        except ApplicationError as exc:
            add_service_error(form, exc)
            limited = isinstance(exc, RateLimited)
        else:
            messages.success(request, _("Sent. A lawyer will answer by %(due)s.")
                             % {"due": _day(reply.question.answer_due)})
            return redirect("portal:question", code=found.tracking_code)
    context = {"portal_section": "ask", "question": found, "thread": question_thread(question=found),
               "attachments": list(found.attachments.all()), "follow_up_form": form, "rate_url": rate_url(found),
               "rating": rating_existing(phone_hash=found.phone_hash, subject=found), "waiting": False}
    return render(request, "portal/ask/question.html", context, status=429 if limited else 400)


def _day(value) -> str:
    return f"{value.month}月{value.day}日"


def _act(request: HttpRequest, code: str, service, done: str) -> HttpResponse:
    found = _own_question(request, code)
    try:
        service(phone_hash=found.phone_hash, question=found)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, done)
    return redirect("portal:question", code=found.tracking_code)


@require_POST
@citizen_required
def question_close(request: HttpRequest, code: str) -> HttpResponse:
    return _act(request, code, consult.question_close, _("Thank you. We have marked your question as solved."))


@require_POST
@citizen_required
def question_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    return _act(request, code, consult.question_withdraw, _("Your question has been withdrawn."))


@require_safe
@citizen_required
def attachment(request: HttpRequest, code: str, attachment_id: int) -> FileResponse:
    found = _own_question(request, code)
    row = found.attachments.filter(pk=attachment_id).first()
    if row is None:
        raise Http404
    response = FileResponse(row.file.open("rb"), content_type=row.content_type, as_attachment=True,
                            filename=row.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required
def find(request: HttpRequest) -> HttpResponse:
    """Open a question by its tracking code (it must have been asked from the proved phone)."""
    form = TrackingCodeForm(request.POST or None)
    limited = False
    if request.method == "POST" and form.is_valid():
        try:
            citizen_ratelimit(request, "portal.question_find")
            found = _own_question(request, form.cleaned_data["code"])
        except RateLimited as exc:
            add_service_error(form, exc)
            limited = True
        except Http404:
            form.add_error("code", _("We found no question with this code under your mobile number. Check the code, "
                                     "or sign in with the number you used when you asked."))
        else:
            return redirect("portal:question", code=found.tracking_code)
    return render(request, "portal/ask/find.html", {"portal_section": "ask", "form": form},
                  status=429 if limited else 400 if form.errors else 200)


@require_safe
def library(request: HttpRequest) -> HttpResponse:
    form = LibrarySearchForm(request.GET)
    page_obj = None
    if form.is_valid():
        entries = library_search(q=form.cleaned_data["q"], category=form.cleaned_data["category"])
        page_obj = Paginator(entries, LIBRARY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/ask/library.html", {"portal_section": "ask", "form": form, "page_obj": page_obj},
                  status=200 if page_obj is not None else 400)


@require_safe
def library_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = library_entry_public(pk=pk)
    if entry is None:
        raise Http404
    return render(request, "portal/ask/library_entry.html", {"portal_section": "ask", "entry": entry})
