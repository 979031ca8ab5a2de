"""Writes of online consultation: a citizen asks, follows up, closes or withdraws; a duty lawyer
answers or declines; staff publish answered questions to the public Q&A library.

Ratings live in services_ratings.py (`rating_submit`, `follow_up_close`). The portal's rating page,
for links from other screens, SMS texts and part B's track page:

    /portal/rate/?kind=<kind>&ref=<ref>          URL name "portal:rate"
        kind=question     ref = the question's tracking code (10 digits)
        kind=case         ref = legalaid Case.number
        kind=application  ref = legalaid Application.number
    services_ratings.rate_url(subject)  builds it from a Question, Case or Application.

The citizen must have proved the phone the subject belongs to (the asker's; for a case or an
application the applicant's or agent's, or the phone that submitted it from the portal).

Who may act: answering and declining need CONSULT_ANSWER and the question in the actor's region;
publishing needs CONSULT_MANAGE and the same. Citizens act through a proved phone: services take
its hash and check it against the question's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.accounts.scope import region_paths_for
from open12348.audit.services import audit_record, changes_from
from open12348.core.calendar import due_date
from open12348.core.calendar_store import legal_calendar
from open12348.core.errors import ApplicationError, ConflictError
from open12348.core.masking import mask_phone
from open12348.hotline.services.knowledge import article_promote
from open12348.legalaid.materials import clean_file_name, detect_type
from open12348.notifications.services import message_queue
from open12348.portal.identity import citizen_phone_hash, normalize_phone

from . import workflow
from .choices import QuestionCategory, ReplyAuthor
from .models import Attachment, LibraryEntry, Question, Reply
from .scrub import remaining_sure_details

log = logging.getLogger(__name__)

TEXT_MIN, TEXT_MAX = 10, 2000
REPLY_MAX = 4000
TITLE_MAX = 80
TRACKING_DIGITS = 10
DEFAULT_ANSWER_DAYS = 1
DEFAULT_MAX_QUESTIONS_PER_DAY = 5
DEFAULT_MAX_FOLLOW_UPS = 3
DEFAULT_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024

SURE_DETAIL_LABELS = {
    "id_number": gettext_lazy("an ID number"), "phone": gettext_lazy("a phone number"),
    "bank_card": gettext_lazy("a bank card number"), "email": gettext_lazy("an e-mail address"),
    "plate": gettext_lazy("a number plate"),
}


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def answer_days() -> int:
    return _setting("CONSULT_ANSWER_DAYS", DEFAULT_ANSWER_DAYS)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _forbidden() -> ApplicationError:
    return ApplicationError(_("You are not allowed to do this."), code="forbidden", status=403)


def _not_found() -> ApplicationError:
    return ApplicationError(_("This question does not exist or is not yours."), code="not_found", status=404)


def _in_scope(actor, region) -> bool:
    paths = region_paths_for(actor)
    return paths is None or any(region.path.startswith(p) for p in paths)


def _require_staff(actor, capability: str, question: Question) -> None:
    if not user_can(actor, capability):
        raise _forbidden()
    if not _in_scope(actor, question.region):
        raise _not_found()


def _require_asker(phone_hash: str, question: Question) -> None:
    if not phone_hash or phone_hash != question.phone_hash:
        raise _not_found()


def _locked(question: Question, *, action: str, expected_version: int | None = None) -> tuple[Question, str]:
    """The question locked for this transaction, and the status `action` leads to.

    Two lawyers answering at once: the second waits for the lock, then finds the version moved on.
    """
    current = Question.objects.select_for_update().get(pk=question.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(_("Someone else changed this question a moment ago. Reload it to see what changed."))
    to = workflow.target(action, current.status)
    if to is None:
        raise ConflictError(_("This cannot be done now: the question is “%(status)s”.")
                            % {"status": current.get_status_display()}, code="wrong_status")
    return current, to


def _clean_text(value: str, *, field: str, minimum: int = 1, maximum: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        if minimum > 1:
            raise ApplicationError(_("Please write at least %(min)d characters, so that a lawyer understands "
                                     "what happened.") % {"min": minimum}, code="too_short", field=field)
        raise ApplicationError(_("Please write something here."), code="required", field=field)
    if len(value) > maximum:
        raise ApplicationError(_("Please keep it under %(max)d characters. You can add more after the answer.")
                               % {"max": maximum}, code="too_long", field=field)
    return value


def _site_link(path: str) -> str:
    site = getattr(settings, "NOTIFY_SITE_URL", "").rstrip("/")
    return f"{site}{path}" if site else path


def question_url(question: Question) -> str:
    return reverse("portal:question", args=[question.tracking_code])


def _tell_asker(question: Question, *, body: str, dedupe_key: str) -> None:
    """An SMS to the asker, after commit. Never the question's words: SMS passes through third parties."""
    message_queue(channel="sms", to=question.phone, body=body, dedupe_key=dedupe_key)


# --- the citizen -----------------------------------------------------------------------------

def _new_tracking_code() -> str:
    return f"{secrets.randbelow(10 ** TRACKING_DIGITS):0{TRACKING_DIGITS}d}"


def _read_attachment(upload) -> tuple[bytes, Any]:
    limit = _setting("CONSULT_ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES)
    too_large = ApplicationError(_("The file is larger than %(limit)d MB. Take the photo again at a lower "
                                   "quality, or leave it out.") % {"limit": limit // (1024 * 1024)},
                                 code="file_too_large", field="attachment")
    if getattr(upload, "size", None) is not None and upload.size > limit:
        raise too_large
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large
    if not data:
        raise ApplicationError(_("The file is empty."), code="file_empty", field="attachment")
    try:
        file_type = detect_type(data)
    except ApplicationError as exc:
        raise ApplicationError(_("Only photos (JPEG or PNG), PDF files and Word documents (.docx) can be added."),
                               code="file_type", field="attachment") from exc
    return data, file_type


def _due(start: dt.date) -> tuple[dt.date, bool]:
    due = due_date(start=start, days=answer_days(), calendar=legal_calendar())
    return due.due, due.calendar_complete


def question_ask(*, phone: str, region, category: str, text: str, wants_public: bool, submit_token: str,
                 attachment=None, now: dt.datetime | None = None) -> Question:
    """A citizen's new question, with a tracking code and a due date for the answer; an SMS confirms it.

    The same `submit_token` from the same phone gives back the question already made (a double
    click, a retried request). Every check runs before anything is written, and a stored file is
    removed again if the rows cannot be written.
    """
    try:
        phone = normalize_phone(phone)
    except ValueError as exc:
        raise ApplicationError(_("Prove your mobile number first."), code="phone_invalid", field="phone") from exc
    phone_hash = citizen_phone_hash(phone)
    submit_token = (submit_token or "").strip()[:64]
    if not submit_token:
        raise ApplicationError(_("The form has expired. Please send it again."), code="token_missing")
    existing = Question.objects.filter(phone_hash=phone_hash, submit_token=submit_token).first()
    if existing is not None:
        return existing
    if category not in QuestionCategory.values:
        raise ApplicationError(_("Choose what your question is about."), code="category_invalid", field="category")
    if region is None:
        raise ApplicationError(_("Choose where you live or where it happened."), code="region_required",
                               field="region")
    text = _clean_text(text, field="text", minimum=TEXT_MIN)
    now = now or timezone.now()
    limit = _setting("CONSULT_MAX_QUESTIONS_PER_DAY", DEFAULT_MAX_QUESTIONS_PER_DAY)
    if Question.objects.filter(phone_hash=phone_hash, created_at__gte=now - dt.timedelta(days=1)).count() >= limit:
        raise ApplicationError(_("You have asked %(limit)d questions today, which is the most we take in a day. "
                                 "Please wait for the answers, or call 12348.") % {"limit": limit},
                               code="too_many_questions", status=429)
    file_data = _read_attachment(attachment) if attachment else None
    due, complete = _due(timezone.localdate(now))
    stored: list[str] = []
    try:
        question = _question_write(phone=phone, phone_hash=phone_hash, region=region, category=category, text=text,
                                   wants_public=wants_public, submit_token=submit_token, due=due, complete=complete,
                                   attachment=attachment, file_data=file_data, stored=stored)
    except IntegrityError:
        # The same form sent twice at once: the first one won; give back what it made.
        for name in stored:
            _delete_quietly(name)
        existing = Question.objects.filter(phone_hash=phone_hash, submit_token=submit_token).first()
        if existing is None:
            raise
        return existing
    except Exception:
        for name in stored:
            _delete_quietly(name)
        raise
    return question


def _delete_quietly(name: str) -> None:
    from django.core.files.storage import default_storage

    try:
        default_storage.delete(name)
    except Exception:  # the row is gone anyway; an orphan file is logged, not raised over the real error
        log.exception("could not remove the stored attachment %s", name)


@transaction.atomic
def _question_write(*, phone, phone_hash, region, category, text, wants_public, submit_token, due, complete,
                    attachment, file_data, stored: list[str]) -> Question:
    question = None
    for _attempt in range(5):
        try:
            with transaction.atomic():
                question = Question.objects.create(
                    tracking_code=_new_tracking_code(), phone=phone, phone_hash=phone_hash, region=region,
                    category=category, text=text, wants_public=bool(wants_public), answer_due=due,
                    calendar_complete=complete, submit_token=submit_token,
                )
            break
        except IntegrityError:
            if Question.objects.filter(phone_hash=phone_hash, submit_token=submit_token).exists():
                raise
            continue  # a tracking code already taken: draw another
    if question is None:
        raise ApplicationError(_("Something went wrong. Please send it again."), code="tracking_code", status=503)
    if file_data is not None:
        data, file_type = file_data
        sha256 = hashlib.sha256(data).hexdigest()
        row = Attachment(question=question, original_name=clean_file_name(attachment.name, file_type=file_type),
                         content_type=file_type.content_type, size=len(data), sha256=sha256)
        try:
            row.file.save(sha256, ContentFile(data), save=False)
        except Exception as exc:
            log.exception("storing a consultation attachment failed")
            raise ApplicationError(_("The file could not be saved just now. Please try again, or send the question "
                                     "without it."), code="storage_failed", field="attachment", status=503) from exc
        stored.append(row.file.name)
        row.save()
    audit_record(actor=None, action="consult.question.ask", obj=question,
                 extra={"phone": mask_phone(phone), "category": category, "region": region.code,
                        "public": bool(wants_public), "attachment": file_data is not None})
    _tell_asker(question, dedupe_key=f"consult.question:{question.pk}:received", body=_(
        "12348: we have your question. Tracking code %(code)s. A lawyer will answer by %(due)s; we will text you.")
        % {"code": question.tracking_code, "due": f"{due.month}月{due.day}日"})
    return question


@transaction.atomic
def question_follow_up(*, phone_hash: str, question: Question, text: str) -> Reply:
    """The asker asks more about an answer: the question waits for a lawyer again, with a new due date."""
    _require_asker(phone_hash, question)
    text = _clean_text(text, field="text", maximum=TEXT_MAX)
    limit = _setting("CONSULT_MAX_FOLLOW_UPS", DEFAULT_MAX_FOLLOW_UPS)
    question, to = _locked(question, action="follow_up")
    if question.replies.filter(author_kind=ReplyAuthor.CITIZEN).count() >= limit:
        raise ApplicationError(_("You have asked more about this %(limit)d times already. For more help, please "
                                 "ask a new question or call 12348.") % {"limit": limit},
                               code="too_many_follow_ups", field="text")
    reply = Reply.objects.create(question=question, author_kind=ReplyAuthor.CITIZEN, text=text)
    before = question.status
    due, complete = _due(timezone.localdate())
    Question.objects.filter(pk=question.pk).update(status=to, answer_due=due, calendar_complete=complete,
                                                   version=question.version + 1, updated_at=timezone.now())
    question.refresh_from_db()
    audit_record(actor=None, action="consult.question.follow_up", obj=question,
                 changes=changes_from({"status": (before, to), "answer_due": (None, due)}))
    return reply


@transaction.atomic
def question_close(*, phone_hash: str, question: Question) -> Question:
    """The asker needs nothing more."""
    _require_asker(phone_hash, question)
    question, to = _locked(question, action="close")
    return _move(question, to=to, action="consult.question.close", actor=None)


@transaction.atomic
def question_withdraw(*, phone_hash: str, question: Question) -> Question:
    """The asker takes back a question nobody has answered yet."""
    _require_asker(phone_hash, question)
    question, to = _locked(question, action="withdraw")
    return _move(question, to=to, action="consult.question.withdraw", actor=None)


def _move(question: Question, *, to: str, action: str, actor, **fields) -> Question:
    before = question.status
    Question.objects.filter(pk=question.pk).update(status=to, version=question.version + 1,
                                                   updated_at=timezone.now(), **fields)
    question.refresh_from_db()
    audit_record(actor=actor, action=action, obj=question, changes=changes_from({"status": (before, to)}))
    return question


# --- the duty lawyer -------------------------------------------------------------------------

@transaction.atomic
def question_answer(*, actor, question: Question, text: str, expected_version: int | None = None) -> Reply:
    """A duty lawyer's answer (or an addition to one). The asker gets an SMS with the link."""
    _require_staff(actor, Capability.CONSULT_ANSWER, question)
    text = _clean_text(text, field="text", minimum=TEXT_MIN, maximum=REPLY_MAX)
    question, to = _locked(question, action="answer", expected_version=expected_version)
    reply = Reply.objects.create(question=question, author_kind=ReplyAuthor.LAWYER, author=actor, text=text)
    now = timezone.now()
    _move(question, to=to, action="consult.question.answer", actor=actor, answered_at=now, answered_by=actor)
    _tell_asker(question, dedupe_key=f"consult.reply:{reply.pk}:answered", body=_(
        "12348: a lawyer has answered your question %(code)s. Read it here: %(link)s")
        % {"code": question.tracking_code, "link": _site_link(question_url(question))})
    return reply


@transaction.atomic
def question_decline(*, actor, question: Question, reason: str, expected_version: int | None = None) -> Question:
    """Not answerable online (needs papers, an emergency, not a legal matter): say where to go instead."""
    _require_staff(actor, Capability.CONSULT_ANSWER, question)
    reason = _clean_text(reason, field="reason", minimum=TEXT_MIN, maximum=REPLY_MAX)
    question, to = _locked(question, action="decline", expected_version=expected_version)
    question = _move(question, to=to, action="consult.question.decline", actor=actor, declined_reason=reason,
                     answered_at=timezone.now(), answered_by=actor)
    _tell_asker(question, dedupe_key=f"consult.question:{question.pk}:declined", body=_(
        "12348: about your question %(code)s, a lawyer has left you a message on where to get help. Read it "
        "here: %(link)s") % {"code": question.tracking_code, "link": _site_link(question_url(question))})
    return question


# --- the Q&A library -------------------------------------------------------------------------

def _check_publishable(question: Question) -> None:
    if not question.wants_public:
        raise ApplicationError(_("The asker did not agree to publish this question."), code="not_public")
    if question.status not in workflow.HAS_ANSWER:
        raise ApplicationError(_("Only answered questions can be published."), code="not_answered")


def _clean_library_text(value: str, *, field: str, maximum: int) -> str:
    value = _clean_text(value, field=field, maximum=maximum)
    left = remaining_sure_details(value)
    if left:
        labels = "、".join(str(SURE_DETAIL_LABELS[kind]) for kind in left)
        raise ApplicationError(_("This text still contains %(what)s. Remove it before publishing.")
                               % {"what": labels}, code="personal_details", field=field)
    return value


@transaction.atomic
def library_publish(*, actor, question: Question, title: str, question_text: str, answer_text: str,
                    category: str, checked: bool) -> LibraryEntry:
    """Publish (or republish, edited) an answered question without personal details.

    `checked` is the publisher's statement that they read the texts for names and addresses, which
    no rule finds reliably; sure details (ID, phone, card numbers …) are refused whatever it says.
    """
    _require_staff(actor, Capability.CONSULT_MANAGE, question)
    _check_publishable(question)
    data = {
        "title": _clean_library_text(title, field="title", maximum=TITLE_MAX),
        "question_text": _clean_library_text(question_text, field="question_text", maximum=TEXT_MAX),
        "answer_text": _clean_library_text(answer_text, field="answer_text", maximum=REPLY_MAX * 2),
    }
    if category not in QuestionCategory.values:
        raise ApplicationError(_("Choose the kind of question."), code="category_invalid", field="category")
    if not checked:
        raise ApplicationError(_("Confirm that you have read both texts and removed every name and address."),
                               code="not_checked", field="checked")
    now = timezone.now()
    entry = LibraryEntry.objects.select_for_update().filter(question=question).first()
    if entry is None:
        entry = LibraryEntry.objects.create(question=question, region=question.region, category=category,
                                            published_at=now, published_by=actor, **data)
        audit_record(actor=actor, action="consult.library.publish", obj=entry, extra={"question": question.pk})
        return entry
    before = {name: getattr(entry, name) for name in ("title", "question_text", "answer_text", "category",
                                                      "is_published")}
    for name, value in {**data, "category": category, "is_published": True}.items():
        setattr(entry, name, value)
    entry.published_by = actor
    if not before["is_published"]:
        entry.published_at = now
    entry.save()
    diff = {name: (old, getattr(entry, name)) for name, old in before.items() if old != getattr(entry, name)}
    audit_record(actor=actor, action="consult.library.update", obj=entry, changes=changes_from(diff))
    return entry


@transaction.atomic
def library_unpublish(*, actor, entry: LibraryEntry) -> LibraryEntry:
    _require_staff(actor, Capability.CONSULT_MANAGE, entry.question)
    if entry.is_published:
        LibraryEntry.objects.filter(pk=entry.pk).update(is_published=False, updated_at=timezone.now())
        entry.refresh_from_db()
        audit_record(actor=actor, action="consult.library.unpublish", obj=entry)
    return entry


# The knowledge base's topic nearest to each kind of online question.
KNOWLEDGE_TOPIC = {
    QuestionCategory.LABOUR: "wages", QuestionCategory.FAMILY: "marriage", QuestionCategory.DEBT: "loans",
    QuestionCategory.TRAFFIC: "traffic", QuestionCategory.INJURY: "medical", QuestionCategory.PROPERTY: "housing",
    QuestionCategory.CONSUMER: "consumer", QuestionCategory.CRIMINAL: "criminal",
    QuestionCategory.GOVERNMENT: "administrative", QuestionCategory.LEGAL_AID: "legal_aid",
    QuestionCategory.OTHER: "other",
}


@transaction.atomic
def library_promote(*, actor, entry: LibraryEntry):
    """Put a published library entry into the hotline's knowledge base, so duty lawyers find it during
    a call. Only the scrubbed text of the library goes in, never the asker's own words; once per entry."""
    _require_staff(actor, Capability.CONSULT_MANAGE, entry.question)
    if not entry.is_published:
        raise ApplicationError(_("Only a published library entry can go into the knowledge base."),
                               code="not_published")
    return article_promote(actor=actor, question=f"{entry.title}\n{entry.question_text}", answer=entry.answer_text,
                           topic=KNOWLEDGE_TOPIC.get(entry.category, "other"),
                           source_ref=f"consult.library:{entry.pk}")
