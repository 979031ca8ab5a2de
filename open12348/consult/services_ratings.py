"""Citizens' ratings of a consultation, a legal aid case or an application, and the follow-up a
dissatisfied rating opens (callback of dissatisfied citizens: PRODUCT.md §4, RULES.md §8).

    rating_submit(*, phone, subject, level, comment="")   the citizen, through a proved phone
    follow_up_close(*, actor, follow_up, outcome, note)   staff with FEEDBACK_FOLLOW_UP in the region

The rating page is "portal:rate" (see the top of services.py); `rate_url(subject)` builds its link.
Hotline calls are rated by the hotline app itself.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.accounts.scope import region_paths_for
from open12348.audit.services import audit_record, changes_from
from open12348.core.calendar import due_date
from open12348.core.calendar_store import legal_calendar
from open12348.core.errors import ApplicationError, ConflictError
from open12348.core.masking import mask_phone
from open12348.legalaid.choices import ApplicationStatus, CaseStatus
from open12348.legalaid.models import Application, Case
from open12348.notifications.services import notify
from open12348.portal.identity import citizen_phone_hash, normalize_phone
from open12348.portal.models import ApplicationDraft

from . import workflow
from .choices import DISSATISFIED_AT_OR_BELOW, FollowUpOutcome, FollowUpStatus, RatingLevel, RatingSubject
from .models import FollowUp, Question, Rating
from .staff import FOLLOW_UP_ROLES, staff_by_region

COMMENT_MAX = 500
DEFAULT_FOLLOW_UP_DAYS = 5  # Shandong 12348 rules: feedback to the caller within 5 working days
RATABLE_CASE = frozenset({CaseStatus.CLOSED, CaseStatus.RETURNED, CaseStatus.ARCHIVED, CaseStatus.SUBSIDY_PAID,
                          CaseStatus.EVALUATED, CaseStatus.TERMINATED})
RATABLE_APPLICATION = frozenset({ApplicationStatus.APPROVED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN,
                                 ApplicationStatus.WITHDRAWN_DEEMED})

Subject = Question | Case | Application


def _not_found() -> ApplicationError:
    return ApplicationError(_("We could not find this under your mobile number. Check the number you were given, "
                              "or sign in with the mobile number you used."), code="not_found", status=404)


def subject_kind(subject: Subject) -> str:
    if isinstance(subject, Question):
        return RatingSubject.QUESTION
    if isinstance(subject, Case):
        return RatingSubject.CASE
    if isinstance(subject, Application):
        return RatingSubject.APPLICATION
    raise TypeError(f"cannot rate {type(subject).__name__}")


def subject_ref(subject: Subject) -> str:
    return subject.tracking_code if isinstance(subject, Question) else subject.number


def subject_key(subject: Subject) -> str:
    return f"{subject_kind(subject)}:{subject.pk}"


def rate_url(subject: Subject) -> str:
    """The portal's rating page for `subject` ("" on a site without the portal)."""
    try:
        base = reverse("portal:rate")
    except NoReverseMatch:
        return ""
    return f"{base}?{urlencode({'kind': subject_kind(subject), 'ref': subject_ref(subject)})}"


def _owns_application(phone_hash: str, application: Application) -> bool:
    people = [application.applicant, application.agent]
    if any(person is not None and person.phone_hash and person.phone_hash == phone_hash for person in people):
        return True
    return ApplicationDraft.objects.filter(phone_hash=phone_hash, submitted_application=application).exists()


def rating_subject_find(*, phone_hash: str, kind: str, ref: str) -> Subject:
    """The question, case or application `ref` of `kind`, if it belongs to this phone; else a 404 error."""
    ref = (ref or "").strip()[:60]
    if not phone_hash or not ref:
        raise _not_found()
    if kind == RatingSubject.QUESTION:
        question = (Question.objects.select_related("region")
                    .filter(tracking_code="".join(ref.split()), phone_hash=phone_hash).first())
        if question is None:
            raise _not_found()
        return question
    if kind == RatingSubject.CASE:
        subject = Case.objects.select_related("region", "application__applicant", "application__agent") \
            .filter(number=ref).first()
        application = subject.application if subject is not None else None
    elif kind == RatingSubject.APPLICATION:
        subject = Application.objects.select_related("region", "applicant", "agent").filter(number=ref).first()
        application = subject
    else:
        raise _not_found()
    if subject is None or not _owns_application(phone_hash, application):
        raise _not_found()
    return subject


def rating_not_ready_reason(subject: Subject) -> str:
    """Why `subject` cannot be rated yet ("" when it can)."""
    if isinstance(subject, Question) and subject.status not in workflow.HAS_ANSWER:
        return _("You can rate the consultation once a lawyer has answered.")
    if isinstance(subject, Case) and subject.status not in RATABLE_CASE:
        return _("You can rate the case once the lawyer has finished it.")
    if isinstance(subject, Application) and subject.status not in RATABLE_APPLICATION:
        return _("You can rate the application once it has been decided.")
    return ""


def rating_existing(*, phone_hash: str, subject: Subject) -> Rating | None:
    return Rating.objects.filter(phone_hash=phone_hash, subject_key=subject_key(subject)).first()


def follow_up_days() -> int:
    return int(getattr(settings, "CONSULT_FOLLOW_UP_DAYS", DEFAULT_FOLLOW_UP_DAYS))


def follow_up_staff(region) -> list:
    """Active staff who follow up ratings and whose organisation's region contains `region`."""
    return staff_by_region({region.path}, FOLLOW_UP_ROLES)[region.path]


@transaction.atomic
def rating_submit(*, phone: str, subject: Subject, level: int, comment: str = "") -> Rating:
    """Record the citizen's rating of `subject`; a dissatisfied one opens a follow-up for staff.

    `phone` is the citizen's proved number (kept encrypted: a dissatisfied citizen is called back).
    One rating per phone and subject: sending it again returns the first one unchanged.
    """
    try:
        phone = normalize_phone(phone)
    except ValueError as exc:
        raise ApplicationError(_("Prove your mobile number first."), code="phone_invalid", field="phone") from exc
    phone_hash = citizen_phone_hash(phone)
    kind = subject_kind(subject)
    # Judge the subject as it is now, not as the caller loaded it a moment ago.
    related = {RatingSubject.QUESTION: ("region",), RatingSubject.CASE: ("region", "application__applicant",
               "application__agent"), RatingSubject.APPLICATION: ("region", "applicant", "agent")}[kind]
    subject = type(subject).objects.select_related(*related).get(pk=subject.pk)
    if kind == RatingSubject.QUESTION and subject.phone_hash != phone_hash:
        raise _not_found()
    if kind == RatingSubject.CASE and not _owns_application(phone_hash, subject.application):
        raise _not_found()
    if kind == RatingSubject.APPLICATION and not _owns_application(phone_hash, subject):
        raise _not_found()
    reason = rating_not_ready_reason(subject)
    if reason:
        raise ApplicationError(reason, code="not_ready", status=409)
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in RatingLevel.values:
        raise ApplicationError(_("Choose how satisfied you are."), code="level_invalid", field="level")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ApplicationError(_("Please keep the comment under %(max)d characters.") % {"max": COMMENT_MAX},
                               code="too_long", field="comment")
    existing = rating_existing(phone_hash=phone_hash, subject=subject)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                subject_kind=kind, subject_key=subject_key(subject), region=subject.region, phone=phone,
                phone_hash=phone_hash, level=level, comment=comment,
                **{kind: subject},  # the subject's foreign key has the kind's name
            )
    except IntegrityError:  # the same rating sent twice at once
        return Rating.objects.get(phone_hash=phone_hash, subject_key=subject_key(subject))
    audit_record(actor=None, action="consult.rating.submit", obj=rating,
                 extra={"subject": rating.subject_key, "level": level, "phone": mask_phone(phone)})
    if level <= DISSATISFIED_AT_OR_BELOW:
        _follow_up_open(rating)
    return rating


def _follow_up_open(rating: Rating) -> FollowUp:
    due = due_date(start=timezone.localdate(), days=follow_up_days(), calendar=legal_calendar()).due
    follow_up = FollowUp.objects.create(rating=rating, region=rating.region, due=due)
    audit_record(actor=None, action="consult.follow_up.open", obj=follow_up,
                 extra={"rating": rating.pk, "level": rating.level, "due": due})
    try:
        url = reverse("consult:followup", args=[follow_up.pk])
    except NoReverseMatch:
        url = ""
    title = _("A citizen is %(level)s: call them back by %(due)s") % {
        "level": RatingLevel(rating.level).label, "due": due.isoformat()}
    body = _("About: %(subject)s %(ref)s.") % {"subject": RatingSubject(rating.subject_kind).label,
                                              "ref": subject_ref(_subject_of(rating))}
    for user in follow_up_staff(rating.region):
        notify(recipient=user, kind="consult.follow_up", title=title, body=body, url=url, obj=follow_up,
               dedupe_key=f"consult.follow_up:{follow_up.pk}:opened")
    return follow_up


def _subject_of(rating: Rating) -> Subject:
    return rating.question or rating.case or rating.application


def _in_scope(actor, region) -> bool:
    paths = region_paths_for(actor)
    return paths is None or any(region.path.startswith(p) for p in paths)


def _require_follow_up(actor, follow_up: FollowUp) -> None:
    if not user_can(actor, Capability.FEEDBACK_FOLLOW_UP):
        raise ApplicationError(_("You are not allowed to do this."), code="forbidden", status=403)
    if not _in_scope(actor, follow_up.region):
        raise ApplicationError(_("This follow-up does not exist or is not yours."), code="not_found", status=404)


@transaction.atomic
def follow_up_close(*, actor, follow_up: FollowUp, outcome: str, note: str) -> FollowUp:
    """Record the callback's outcome and close the task."""
    _require_follow_up(actor, follow_up)
    if outcome not in FollowUpOutcome.values:
        raise ApplicationError(_("Choose what came of the callback."), code="outcome_invalid", field="outcome")
    note = (note or "").strip()
    if len(note) < 5:
        raise ApplicationError(_("Write down briefly what was said and what will be done."), code="note_required",
                               field="note")
    current = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if current.status != FollowUpStatus.OPEN:
        raise ConflictError(_("Someone else recorded this follow-up a moment ago."))
    now = timezone.now()
    FollowUp.objects.filter(pk=current.pk).update(status=FollowUpStatus.DONE, outcome=outcome, closed_at=now,
                                                  closed_by=actor)
    # The note is encrypted: written through the model so the field encrypts it.
    current.note = note
    current.save(update_fields=["note"])
    current.refresh_from_db()
    audit_record(actor=actor, action="consult.follow_up.close", obj=current,
                 changes=changes_from({"status": (FollowUpStatus.OPEN, FollowUpStatus.DONE),
                                       "outcome": ("", outcome), "note": ("", note)}, protected=("note",)))
    return current


@transaction.atomic
def follow_up_reveal_phone(*, actor, follow_up: FollowUp) -> str:
    """The citizen's full number, to call them back. Every look is audited."""
    _require_follow_up(actor, follow_up)
    audit_record(actor=actor, action="consult.follow_up.view_phone", obj=follow_up)
    return follow_up.rating.phone


def follow_up_overdue(follow_up: FollowUp, *, today: dt.date | None = None) -> bool:
    return follow_up.status == FollowUpStatus.OPEN and follow_up.due < (today or timezone.localdate())
