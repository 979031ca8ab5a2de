"""Applying for legal aid in the portal: the guided interview, the forms, and tracking.

The interview (interview.py) decides which question comes next; these views show one question per
screen, save the draft at every step (a lost connection loses nothing: the draft is resumed from
its link), show the pre-check in plain words before submitting, and submit through
`legalaid.services.application_create` with channel "online", the public portal as actor (None)
and the draft's id as idempotency key, to the legal aid centre of the county the applicant chose.

Only the verified phone that owns a draft or an application sees it; anyone else gets the same 404
as for one that does not exist. Every page works without JavaScript.

The draft writes (`draft_*`) are services in the project's sense (one transaction, an audit row);
they sit here because the portal keeps its application pages in one module.
"""

from __future__ import annotations

import hashlib
import logging
from functools import cache
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from open12348.audit.services import audit_record
from open12348.consult.services_ratings import rate_url
from open12348.core.errors import ApplicationError
from open12348.core.masking import mask_phone
from open12348.core.ratelimit import RateLimited
from open12348.legalaid import rules_store, selectors_portal
from open12348.legalaid.choices import Channel, MaterialKind
from open12348.legalaid.materials import clean_file_name, detect_type, material_add, read_upload, scan_upload
from open12348.legalaid.models import Application
from open12348.legalaid.services import application_create
from open12348.network.models import Region
from open12348.network.selectors import attach_region_display_names

from . import documents, interview
from .choices import ConsentPurpose
from .consent import consent_required
from .forms_apply import QuestionForm, UploadForm
from .identity import citizen_phone, citizen_phone_hash, citizen_required
from .limits import citizen_ratelimit
from .models import ApplicationDraft

log = logging.getLogger(__name__)

MAX_OPEN_DRAFTS = 10  # unfinished drafts per phone: enough for a family, not for a flood
MAX_UPLOADS = 20
UPLOADS = "uploads"  # the draft's own note of files added, beside the answers
SECTION = {"portal_section": "apply"}
# The question to go back to when the centre's rules refuse an answer (legalaid.services' field names).
ERROR_QUESTIONS = {
    "region": "region", "centre": "region", "agent_relationship": "agent_relationship",
    "applicant.name": "applicant_name", "applicant.id_number": "applicant_id_number",
    "applicant.birth_date": "applicant_id_number", "applicant.sex": "applicant_id_number",
    "applicant.phone": "applicant_phone", "agent.name": "agent_name", "agent.id_number": "agent_id_number",
    "household.members": "household_members", "household.monthly_income": "monthly_income",
    "amount_claimed": "amount_claimed", "people_count": "people_count", "stage": "stage",
}
SECTIONS = (
    ("applicant", gettext_lazy("Who needs legal aid")),
    ("agent", gettext_lazy("You, applying for them")),
    ("matter", gettext_lazy("The problem")),
    ("income", gettext_lazy("Household income")),
    ("materials", gettext_lazy("Papers")),
)


# --- the draft's writes --------------------------------------------------------------------

def _context(*, on=None) -> interview.InterviewContext:
    regions = selectors_portal.application_regions()
    attach_region_display_names(regions=regions)
    return interview.InterviewContext(
        rulebook=rules_store.rulebook(), on=on or timezone.localdate(),
        regions=tuple((r.code, getattr(r, "display_name", "") or r.name) for r in regions),
        townships=selectors_portal.application_townships(counties=regions),
    )


@transaction.atomic
def draft_start(*, phone_hash: str) -> ApplicationDraft:
    open_drafts = ApplicationDraft.objects.filter(phone_hash=phone_hash, submitted_application__isnull=True).count()
    if open_drafts >= MAX_OPEN_DRAFTS:
        raise ApplicationError(_("You already have %(count)d unfinished applications. Please finish one of them "
                                 "first.") % {"count": open_drafts}, code="too_many_drafts", status=429)
    draft = ApplicationDraft.objects.create(phone_hash=phone_hash, answers={}, step=interview.QUESTIONS[0].key)
    audit_record(actor=None, action="portal.draft.create", obj=draft)
    return draft


def _locked(draft: ApplicationDraft) -> ApplicationDraft:
    draft = ApplicationDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.submitted_application_id:
        raise ApplicationError(_("This application has already been sent."), code="submitted", status=409)
    return draft


@transaction.atomic
def draft_answer(*, draft: ApplicationDraft, key: str, value: Any,
                 ctx: interview.InterviewContext) -> ApplicationDraft:
    """Save one answer (and drop the later answers it made irrelevant) at once, so nothing is lost."""
    draft = _locked(draft)
    draft.answers = interview.record(draft.answers, key, value, ctx)
    following = interview.next_question(draft.answers, ctx)
    draft.step = following.key if following else interview.REVIEW
    draft.save(update_fields=["answers", "step", "updated_at"])
    audit_record(actor=None, action="portal.draft.answer", obj=draft, extra={"question": key})
    return draft


def _draft_file(draft: ApplicationDraft, sha256: str) -> str:
    return f"portal/drafts/{draft.pk}/{sha256}"


def draft_material_add(*, draft: ApplicationDraft, kind: str, upload) -> dict:
    """Keep a photo or scan with the draft until it is sent; the same checks as the centre's own uploads
    (content type by its bytes, size, the antivirus hook). The file is written before the draft notes it."""
    if kind not in MaterialKind.values:
        raise ApplicationError(_("Choose what the paper is."), code="kind_invalid", field="kind")
    data = read_upload(upload)
    file_type = detect_type(data)
    scan_upload(data)
    sha256 = hashlib.sha256(data).hexdigest()
    current = ApplicationDraft.objects.get(pk=draft.pk).answers.get(UPLOADS, [])
    if any(item["sha256"] == sha256 for item in current):
        raise ApplicationError(_("You have already added this file."), code="file_duplicate", field="file")
    if len(current) >= MAX_UPLOADS:
        raise ApplicationError(_("You can add up to %(max)d files here. Bring the others to the legal aid centre.")
                               % {"max": MAX_UPLOADS}, code="too_many_files", field="file")
    name = _draft_file(draft, sha256)
    try:
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(data))
    except OSError as exc:
        log.exception("storing an upload for draft %s failed", draft.pk)
        raise ApplicationError(_("The file could not be saved just now. Please try again later."),
                               code="storage_failed", field="file", status=503) from exc
    item = {"sha256": sha256, "kind": kind, "size": len(data), "content_type": file_type.content_type,
            "name": clean_file_name(getattr(upload, "name", ""), file_type=file_type)}
    with transaction.atomic():
        locked = _locked(draft)
        locked.answers = {**locked.answers, UPLOADS: [*locked.answers.get(UPLOADS, []), item]}
        locked.save(update_fields=["answers", "updated_at"])
        audit_record(actor=None, action="portal.draft.upload", obj=locked,
                     extra={"kind": kind, "sha256": sha256, "size": len(data)})
    return item


@transaction.atomic
def draft_material_remove(*, draft: ApplicationDraft, sha256: str) -> None:
    draft = _locked(draft)
    kept = [item for item in draft.answers.get(UPLOADS, []) if item["sha256"] != sha256]
    if len(kept) == len(draft.answers.get(UPLOADS, [])):
        raise Http404
    draft.answers = {**draft.answers, UPLOADS: kept}
    draft.save(update_fields=["answers", "updated_at"])
    audit_record(actor=None, action="portal.draft.upload_remove", obj=draft, extra={"sha256": sha256})
    name = _draft_file(draft, sha256)
    transaction.on_commit(lambda: default_storage.delete(name))


def draft_submit(*, draft: ApplicationDraft, phone: str, ctx: interview.InterviewContext) -> Application:
    """Send the draft to the legal aid centre of the chosen county, once (the draft id is the idempotency
    key, and the draft row is locked), then hand over the photos it holds."""
    with transaction.atomic():
        draft = ApplicationDraft.objects.select_for_update().get(pk=draft.pk)
        if draft.submitted_application_id:
            return draft.submitted_application
        answers = interview.prune(draft.answers, ctx)
        if interview.next_question(answers, ctx) is not None:
            raise ApplicationError(_("Some questions are not answered yet."), code="unfinished")
        centre = selectors_portal.centre_for_region(region_code=answers["region"])
        if centre is None:
            raise ApplicationError(_("There is no legal aid centre for this county or district yet. Please call "
                                     "12348."), code="no_centre", field="region")
        arguments = interview.submission(answers, ctx, phone=phone)
        if arguments.get("residence"):
            arguments["residence"] = Region.objects.filter(code=arguments["residence"], level="township").first()
        phone_hash = citizen_phone_hash(phone)
        for role in ("applicant", "agent"):
            person = arguments[role]
            # A proved number never becomes the recorded phone of a person already registered with another
            # one: this application is followed through the draft instead.
            if person and person["phone"] == phone and selectors_portal.person_phone_differs(
                    id_number=person["id_number"], phone_hash=phone_hash):
                person["phone"] = ""
        application = application_create(actor=None, centre=centre, channel=Channel.ONLINE,
                                         idempotency_key=str(draft.pk), **arguments)
        draft.submitted_application, draft.submitted_at, draft.step = application, timezone.now(), "submitted"
        draft.save(update_fields=["submitted_application", "submitted_at", "step", "updated_at"])
        audit_record(actor=None, action="portal.draft.submit", obj=draft,
                     extra={"application": application.pk, "centre": centre.pk})
    draft_materials_hand_over(draft=draft, application=application)
    return application


def draft_materials_hand_over(*, draft: ApplicationDraft, application: Application) -> int:
    """Give the draft's photos to the application as materials (legalaid.materials.material_add). A file
    that fails stays with the draft and is tried again on the next call; returns how many are handed over."""
    handed = 0
    remaining = []
    for item in draft.answers.get(UPLOADS, []):
        if item.get("material"):
            continue
        name = _draft_file(draft, item["sha256"])
        try:
            with default_storage.open(name, "rb") as stored:
                upload = ContentFile(stored.read(), name=item["name"])
            material = material_add(actor=None, application=application, kind=item["kind"], upload=upload)
        except ApplicationError as exc:
            if exc.code != "file_duplicate":
                log.warning("handing draft %s file %s to application %s failed: %s", draft.pk, item["sha256"][:12],
                            application.pk, exc.code)
                remaining.append(item)
                continue
            material = None
        except OSError:
            log.exception("reading draft %s file %s failed", draft.pk, item["sha256"][:12])
            remaining.append(item)
            continue
        handed += 1
        default_storage.delete(name)
        remaining.append({**item, "material": material.pk if material else True})
    if handed:
        with transaction.atomic():
            locked = ApplicationDraft.objects.select_for_update().get(pk=draft.pk)
            locked.answers = {**locked.answers, UPLOADS: remaining}
            locked.save(update_fields=["answers", "updated_at"])
    return handed


# --- reading helpers -----------------------------------------------------------------------

def _own_draft(request: HttpRequest, draft_id) -> ApplicationDraft:
    draft = ApplicationDraft.objects.filter(pk=draft_id, phone_hash=citizen_phone_hash(citizen_phone(request))).first()
    if draft is None:
        raise Http404
    return draft


def _submitted_ids(phone_hash: str) -> list[int]:
    return list(ApplicationDraft.objects.filter(phone_hash=phone_hash, submitted_application__isnull=False)
                .values_list("submitted_application_id", flat=True))


def _own_application(request: HttpRequest, id: int) -> Application:
    phone_hash = citizen_phone_hash(citizen_phone(request))
    return selectors_portal.citizen_application(phone_hash=phone_hash, id=id,
                                                application_ids=_submitted_ids(phone_hash))


def _step_url(draft: ApplicationDraft, key: str) -> str:
    if key == interview.REVIEW:
        return reverse("portal:apply_review", args=[draft.pk])
    return reverse("portal:apply_step", args=[draft.pk, key])


def _current_url(draft: ApplicationDraft, ctx: interview.InterviewContext) -> str:
    if draft.submitted_application_id:
        return reverse("portal:apply_done", args=[draft.pk])
    question = interview.next_question(draft.answers, ctx)
    return _step_url(draft, question.key if question else interview.REVIEW)


def _display(question: interview.Question, value: Any, answers: dict, ctx: interview.InterviewContext) -> str:
    """An answer as the review page shows it."""
    if value in (None, "", []):
        return _("(not given)")
    if question.kind in (interview.CHOICE, interview.REGION, interview.MULTI):
        labels = {o.value: str(o.label) for o in question.choices(answers, ctx)}
        values = value if isinstance(value, list) else [value]
        return "；".join(labels.get(v, v) for v in values)
    if question.kind == interview.YESNO:
        return _("Yes") if value else _("No")
    if question.kind == interview.CONFIRM:
        return _("Promised") if value else _("(not given)")
    if question.kind == interview.MONEY:
        return _("%(amount)s yuan") % {"amount": value}
    if question.kind == interview.UPLOAD:
        return ""
    return str(value)


def _review_sections(draft: ApplicationDraft, ctx: interview.InterviewContext) -> list[dict]:
    answers = interview.prune(draft.answers, ctx)
    rows: dict[str, list] = {key: [] for key, _label in SECTIONS}
    for question in interview.path(answers, ctx):
        if question.kind == interview.UPLOAD:
            continue
        rows[question.section].append({
            "question": question, "value": _display(question, answers.get(question.key), answers, ctx),
            "url": _step_url(draft, question.key),
        })
    return [{"label": label, "rows": rows[key]} for key, label in SECTIONS if rows[key]]


def _download(data: bytes, *, name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(data, content_type=documents.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name, safe='')}"
    response["Cache-Control"] = "private, no-store"
    return response


def _check_form(form: str, fmt: str) -> None:
    if form not in documents.FORMS or fmt not in documents.RENDERERS:
        raise Http404


# --- the interview -------------------------------------------------------------------------

def apply(request: HttpRequest) -> HttpResponse:
    """What applying involves, the blank forms, and the way in."""
    phone = citizen_phone(request)
    drafts = []
    if phone:
        drafts = list(ApplicationDraft.objects.filter(phone_hash=citizen_phone_hash(phone),
                                                      submitted_application__isnull=True).order_by("-updated_at")[:10])
    return render(request, "portal/apply/start.html", {**SECTION, "drafts": drafts, "forms": documents.FORMS})


@never_cache
@require_http_methods(["GET", "POST"])
@consent_required(ConsentPurpose.SENSITIVE)
def apply_start(request: HttpRequest) -> HttpResponse:
    phone_hash = citizen_phone_hash(citizen_phone(request))
    status = 200
    if request.method == "POST":
        try:
            citizen_ratelimit(request, "portal.apply_start")
            draft = draft_start(phone_hash=phone_hash)
        except RateLimited as exc:
            messages.error(request, exc.message)
            status = 429
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("portal:apply")
        else:
            return redirect(_step_url(draft, interview.QUESTIONS[0].key))
    drafts = ApplicationDraft.objects.filter(phone_hash=phone_hash, submitted_application__isnull=True)
    return render(request, "portal/apply/begin.html", {**SECTION, "drafts": drafts.order_by("-updated_at")[:10]},
                  status=status)


@never_cache
@consent_required(ConsentPurpose.SENSITIVE)
def apply_resume(request: HttpRequest, draft_id) -> HttpResponse:
    draft = _own_draft(request, draft_id)
    return redirect(_current_url(draft, _context()))


@never_cache
@require_http_methods(["GET", "POST"])
@consent_required(ConsentPurpose.SENSITIVE)
def apply_step(request: HttpRequest, draft_id, key: str) -> HttpResponse:
    draft = _own_draft(request, draft_id)
    ctx = _context()
    if draft.submitted_application_id or key not in interview.QUESTION_BY_KEY or \
            not interview.is_current_or_earlier(key, draft.answers, ctx):
        return redirect(_current_url(draft, ctx))
    question = interview.QUESTION_BY_KEY[key]
    answers = interview.prune(draft.answers, ctx)
    earlier = {k: v for k, v in answers.items() if interview.ORDER.get(k, -1) < interview.ORDER[key]}
    if question.kind == interview.UPLOAD:
        return _materials_step(request, draft, question, answers, ctx)
    # An empty POST is an answer too: nothing ticked among the groups.
    form = QuestionForm(request.POST if request.method == "POST" else None, question=question, answers=earlier, ctx=ctx,
                        stored=answers.get(key))
    if request.method == "POST" and form.is_valid():
        draft = draft_answer(draft=draft, key=key, value=form.answer(), ctx=ctx)
        return redirect(_current_url(draft, ctx))
    return render(request, "portal/apply/question.html", {
        **SECTION, **_step_context(draft, question, answers, ctx), "form": form,
    }, status=400 if form.errors else 200)


def _step_context(draft, question, answers, ctx) -> dict:
    done, total = interview.progress(answers, ctx)
    previous = interview.previous_key(question.key, answers, ctx)
    return {"draft": draft, "question": question, "step_number": min(done + 1, total), "step_total": total,
            "back_url": _step_url(draft, previous) if previous else reverse("portal:apply_start")}


def _materials_step(request, draft, question, answers, ctx) -> HttpResponse:
    decision = interview.precheck(answers, ctx)
    kinds = interview.suggested_materials(answers, decision)
    form = UploadForm(kinds=kinds)
    limited = False
    if request.method == "POST" and request.POST.get("action") == "upload":
        form = UploadForm(request.POST, request.FILES, kinds=kinds)
        if form.is_valid():
            try:
                citizen_ratelimit(request, "portal.upload")
                item = draft_material_add(draft=draft, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"])
            except ApplicationError as exc:
                form.add_error("file" if exc.field == "file" else None, str(exc.message))
                limited = isinstance(exc, RateLimited)
            else:
                messages.success(request, _("Added: %(name)s") % {"name": item["name"]})
                return redirect(_step_url(draft, question.key))
    elif request.method == "POST":
        draft = draft_answer(draft=draft, key=question.key, value=[], ctx=ctx)
        return redirect(_current_url(draft, ctx))
    labels = dict(MaterialKind.choices)
    draft.refresh_from_db()
    return render(request, "portal/apply/materials.html", {
        **SECTION, **_step_context(draft, question, answers, ctx), "form": form,
        "suggested": [labels[k] for k in kinds],
        "uploads": [{**item, "kind_label": labels.get(item["kind"], item["kind"])}
                    for item in draft.answers.get(UPLOADS, [])],
    }, status=429 if limited else 400 if form.errors else 200)


@require_POST
@consent_required(ConsentPurpose.SENSITIVE)
def apply_upload_remove(request: HttpRequest, draft_id, sha256: str) -> HttpResponse:
    draft = _own_draft(request, draft_id)
    try:
        draft_material_remove(draft=draft, sha256=sha256)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(_step_url(draft, "materials"))


@never_cache
@require_http_methods(["GET", "POST"])
@consent_required(ConsentPurpose.SENSITIVE)
def apply_review(request: HttpRequest, draft_id) -> HttpResponse:
    draft = _own_draft(request, draft_id)
    ctx = _context()
    if draft.submitted_application_id or interview.next_question(draft.answers, ctx) is not None:
        return redirect(_current_url(draft, ctx))
    answers = interview.prune(draft.answers, ctx)
    errors = []
    status = 200
    if request.method == "POST":
        try:
            citizen_ratelimit(request, "portal.apply_submit")
            draft_submit(draft=draft, phone=citizen_phone(request), ctx=ctx)
        except RateLimited as exc:
            errors.append({"message": exc.message, "url": ""})
            status = 429
        except ApplicationError as exc:
            key = ERROR_QUESTIONS.get(exc.field or "", "")
            errors.append({"message": exc.message, "url": _step_url(draft, key) if key else ""})
        else:
            return redirect("portal:apply_done", draft.pk)
    decision = interview.precheck(answers, ctx)
    centre = selectors_portal.centre_for_region(region_code=answers.get("region", ""))
    return render(request, "portal/apply/review.html", {
        **SECTION, "draft": draft, "sections": _review_sections(draft, ctx), "decision": decision,
        "explanation": interview.explain(decision, answers), "centre": centre, "errors": errors,
        "uploads": draft.answers.get(UPLOADS, []), "forms": documents.FORMS,
        "back_url": _step_url(draft, interview.previous_key(interview.REVIEW, answers, ctx)),
    }, status=status if status != 200 else 400 if errors else 200)


@never_cache
@consent_required(ConsentPurpose.SENSITIVE)
def apply_done(request: HttpRequest, draft_id) -> HttpResponse:
    draft = _own_draft(request, draft_id)
    if not draft.submitted_application_id:
        return redirect(_current_url(draft, _context()))
    application = draft.submitted_application
    if any(not item.get("material") for item in draft.answers.get(UPLOADS, [])):
        draft_materials_hand_over(draft=draft, application=application)  # a retry of what failed before
        draft.refresh_from_db()
    waiting = [item for item in draft.answers.get(UPLOADS, []) if not item.get("material")]
    return render(request, "portal/apply/done.html", {
        **SECTION, "draft": draft, "application": application, "waiting": waiting,
        "handed": len(draft.answers.get(UPLOADS, [])) - len(waiting),
        "phone": mask_phone(citizen_phone(request)), "forms": documents.FORMS,
    })


# --- the forms -----------------------------------------------------------------------------

@cache
def _blank(form: str, fmt: str) -> bytes:
    return documents.render_form(form, fmt)


def form_blank(request: HttpRequest, form: str, fmt: str) -> HttpResponse:
    """The blank forms, for anyone to print and fill in by hand."""
    _check_form(form, fmt)
    response = _download(_blank(form, fmt), name=documents.filename(form, fmt), fmt=fmt)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@never_cache
@consent_required(ConsentPurpose.SENSITIVE)
def form_draft(request: HttpRequest, draft_id, form: str, fmt: str) -> HttpResponse:
    """A form filled in from the draft's answers so far (only for the phone that owns the draft)."""
    _check_form(form, fmt)
    draft = _own_draft(request, draft_id)
    if draft.submitted_application_id:
        return redirect("portal:track_form", draft.submitted_application_id, form, fmt)
    ctx = _context()
    centre = selectors_portal.centre_for_region(region_code=draft.answers.get("region", ""))
    record = documents.record_from_answers(draft.answers, ctx, phone=citizen_phone(request),
                                           centre=centre.name if centre else "")
    audit_record(actor=None, action="portal.form.download", obj=draft, extra={"form": form, "format": fmt})
    return _download(documents.render_form(form, fmt, record), name=documents.filename(form, fmt), fmt=fmt)


# --- tracking ------------------------------------------------------------------------------

STATE_WORDS: dict[str, tuple[Any, Any]] = {
    # state: (where it is, what comes next; "%(due)s" is the date it is due by)
    "received": (gettext_lazy("Received by the legal aid centre"),
                 gettext_lazy("The centre checks your application and decides by %(due)s.")),
    "under_review": (gettext_lazy("Being checked"),
                     gettext_lazy("The centre decides by %(due)s. They may call you if something is unclear.")),
    "supplement_requested": (gettext_lazy("Papers are missing"),
                             gettext_lazy("Bring or send the papers listed below by %(due)s. If they do not "
                                          "arrive in time, the application counts as withdrawn.")),
    "approved": (gettext_lazy("Legal aid granted"),
                 gettext_lazy("The centre names a lawyer for you by %(due)s.")),
    "advance_aid": (gettext_lazy("Legal aid given at once because it was urgent"),
                    gettext_lazy("A lawyer is being named for you. Complete any missing papers when asked.")),
    "rejected": (gettext_lazy("Legal aid refused"),
                 gettext_lazy("The decision letter gives the reasons. If you disagree, you can object to the "
                              "justice bureau, which decides within 5 days.")),
    "objection": (gettext_lazy("Your objection is being decided"),
                  gettext_lazy("The justice bureau decides by %(due)s.")),
    "withdrawn": (gettext_lazy("Withdrawn"), gettext_lazy("You can apply again at any time.")),
    "withdrawn_deemed": (gettext_lazy("Counted as withdrawn"),
                         gettext_lazy("The missing papers did not arrive in time. You can apply again.")),
    "notified": (gettext_lazy("Received"), gettext_lazy("A lawyer is being named.")),
    "case_assigned": (gettext_lazy("A lawyer has been named"),
                      gettext_lazy("Your lawyer will contact you to sign the agreement by %(due)s. You can also "
                                   "call them.")),
    "case_agreement_signed": (gettext_lazy("Agreement signed"),
                              gettext_lazy("Your lawyer is working on your matter and tells you how it goes.")),
    "case_in_progress": (gettext_lazy("Your lawyer is working on it"),
                         gettext_lazy("Your lawyer tells you how it goes. You can call them to ask.")),
    "case_terminated": (gettext_lazy("Legal aid ended"),
                        gettext_lazy("The centre has written to you with the reasons. If you disagree, you can "
                                     "object to the justice bureau.")),
    "case_termination_objection": (gettext_lazy("Your objection is being decided"),
                                   gettext_lazy("The justice bureau decides on your objection.")),
}
CLOSED_WORDS = (gettext_lazy("Finished"), gettext_lazy("Your lawyer has finished your matter. Please tell us how it "
                                                       "went."))
EVENT_WORDS = {
    "received": gettext_lazy("Application received"),
    "review_started": gettext_lazy("Checking started"),
    "supplement_requested": gettext_lazy("Missing papers requested"),
    "supplement_received": gettext_lazy("Missing papers received"),
    "deemed_withdrawn": gettext_lazy("Counted as withdrawn"),
    "granted": gettext_lazy("Legal aid granted"),
    "refused": gettext_lazy("Legal aid refused"),
    "advance_aid": gettext_lazy("Legal aid given at once"),
    "regularised": gettext_lazy("Legal aid confirmed"),
    "objection_filed": gettext_lazy("Objection received"),
    "objection_corrected": gettext_lazy("Objection accepted: legal aid granted"),
    "objection_upheld": gettext_lazy("Objection not accepted"),
    "withdrawn": gettext_lazy("Withdrawn"),
}
PROGRESS_WORDS = {"report_to_client": gettext_lazy("Your lawyer reported"), "hearing": gettext_lazy("Hearing")}


def _state_words(state: str, due) -> tuple[str, str]:
    title, text = STATE_WORDS.get(state, CLOSED_WORDS)
    due_text = documents.chinese_date(due) if due else _("soon")
    return str(title), str(text) % {"due": due_text} if "%(due)s" in str(text) else str(text)


@never_cache
@citizen_required
def track(request: HttpRequest) -> HttpResponse:
    """The phone's applications; `?number=` (the application number, as on the receipt) opens one."""
    phone_hash = citizen_phone_hash(citizen_phone(request))
    applications = selectors_portal.citizen_applications(phone_hash=phone_hash,
                                                         application_ids=_submitted_ids(phone_hash))
    number = request.GET.get("number", "").strip()
    if number:
        found = applications.filter(number=number).first()
        if found is None:
            raise Http404
        return redirect("portal:track_detail", found.pk)
    drafts = ApplicationDraft.objects.filter(phone_hash=phone_hash, submitted_application__isnull=True)
    rows = [{"application": a, "words": _state_words(selectors_portal.state_of(a), None)[0]}
            for a in applications[:50]]
    return render(request, "portal/track/list.html", {
        **SECTION, "rows": rows, "drafts": drafts.order_by("-updated_at")[:10],
    })


@never_cache
@citizen_required
def track_detail(request: HttpRequest, id: int) -> HttpResponse:
    application = _own_application(request, id)
    tracking = selectors_portal.tracking_for(application)
    title, text = _state_words(tracking.state, tracking.due)
    return render(request, "portal/track/detail.html", {
        **SECTION, "t": tracking, "application": application, "state_title": title, "state_text": text,
        "events": [(EVENT_WORDS.get(kind, ""), at) for kind, at in tracking.events if kind in EVENT_WORDS],
        "progress": [(PROGRESS_WORDS.get(p.kind, ""), p) for p in tracking.progress],
        "rate_url": rate_url(application) if tracking.can_rate else "",
        "case_rate_url": rate_url(application.case) if tracking.case_over else "",
        "forms": documents.FORMS,
    })


@never_cache
@citizen_required
def track_form(request: HttpRequest, id: int, form: str, fmt: str) -> HttpResponse:
    """A form filled in from the registered application, to print and sign."""
    _check_form(form, fmt)
    application = _own_application(request, id)
    record = documents.record_from_application(application)
    audit_record(actor=None, action="portal.form.download", obj=application, extra={"form": form, "format": fmt})
    return _download(documents.render_form(form, fmt, record), name=documents.filename(form, fmt, record), fmt=fmt)


@never_cache
@citizen_required
def track_decision(request: HttpRequest, id: int, document_id: int) -> FileResponse:
    """The decision letter the centre issued (legalaid/documents.py), as it was issued."""
    application = _own_application(request, id)
    document = selectors_portal.decision_document(application=application, document_id=document_id)
    audit_record(actor=None, action="portal.decision.download", obj=document,
                 extra={"application": application.pk, "kind": document.kind})
    response = FileResponse(document.file.open("rb"), as_attachment=True, content_type="application/pdf",
                            filename=f"{document.title}-{application.number}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response
