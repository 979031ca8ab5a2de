"""Writes of legal education: articles through the editorial workflow, the activity register.

Every service checks the actor's capability and region, writes an audit row in the same
transaction, and raises ApplicationError with a message the user understands.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.accounts.scope import region_paths_for
from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError
from open12348.legalaid import materials
from open12348.network.choices import RegionLevel
from open12348.network.models import Institution, Region, ServicePoint

from . import workflow
from .choices import (
    ActivityKind,
    ActivityStatus,
    ArticleStatus,
    EducationAudience,
    EducationTopic,
    NextStepKind,
)
from .models import (
    CONTENT_FIELDS,
    Activity,
    ActivityPhoto,
    Article,
    ArticleEvent,
    ArticleRevision,
    join_codes,
)

ARTICLE_REGION_LEVELS = (RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP)
PHOTO_TYPES = (materials.JPEG, materials.PNG)
MAX_PHOTOS = 12


def _forbidden() -> ApplicationError:
    return ApplicationError(_("You are not allowed to do this."), code="forbidden", status=403)


def _require(actor, capability: str) -> None:
    if not user_can(actor, capability):
        raise _forbidden()


def in_scope(user, region: Region) -> bool:
    paths = region_paths_for(user)
    if paths is None:
        return True
    return any(region.path.startswith(path) for path in paths)


def regions_for_articles(user):
    """Where the user may publish for: the city, counties and townships inside their area."""
    qs = Region.objects.filter(level__in=ARTICLE_REGION_LEVELS)
    paths = region_paths_for(user)
    if paths is not None:
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(path__startswith=path)
        qs = qs.filter(condition)
    return qs.order_by("path")


def _require_region(actor, region: Region | None, *, field: str = "region") -> None:
    if region is None or not in_scope(actor, region):
        raise ApplicationError(_("Choose a region inside your own area."), code="region_out_of_scope", field=field)


# --- articles ----------------------------------------------------------------------------------

def _clean_content(data: dict[str, Any]) -> dict[str, Any]:
    title = (data.get("title") or "").strip()
    body = (data.get("body") or "").strip()
    if not title:
        raise ApplicationError(_("Give the article a title."), code="title_required", field="title")
    if not body:
        raise ApplicationError(_("Write the text of the article."), code="body_required", field="body")
    if data.get("topic") not in EducationTopic.values:
        raise ApplicationError(_("Choose a topic from the list."), code="topic_invalid", field="topic")
    audiences = [a for a in data.get("audiences") or [] if a]
    if not audiences or any(a not in EducationAudience.values for a in audiences):
        raise ApplicationError(_("Choose at least one audience from the list."), code="audience_invalid",
                               field="audiences")
    if data.get("next_step") not in NextStepKind.values:
        raise ApplicationError(_("Choose what the reader should do next."), code="next_step_invalid",
                               field="next_step")
    return {
        "title": title[:120], "summary": (data.get("summary") or "").strip()[:300], "body": body,
        "topic": data["topic"], "audience_codes": join_codes(sorted(audiences, key=EducationAudience.values.index)),
        "legal_basis": (data.get("legal_basis") or "").strip(), "next_step": data["next_step"],
        "next_step_note": (data.get("next_step_note") or "").strip()[:200], "region": data.get("region"),
        "last_checked": data.get("last_checked"),
    }


def _event(article: Article, *, actor, action: str, from_status: str, note: str = "") -> ArticleEvent:
    return ArticleEvent.objects.create(article=article, actor=actor, action=action, from_status=from_status,
                                       to_status=article.status, note=note)


@transaction.atomic
def article_create(*, actor, data: dict[str, Any]) -> Article:
    _require(actor, Capability.EDUCATION_EDIT)
    content = _clean_content(data)
    _require_region(actor, content["region"])
    article = Article.objects.create(author=actor, status=ArticleStatus.DRAFT, **content)
    _event(article, actor=actor, action="create", from_status="")
    audit_record(actor=actor, action="education.article.create", obj=article,
                 changes={"title": article.title, "topic": article.topic, "region": article.region_id})
    return article


def _locked(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


@transaction.atomic
def article_update(*, actor, article: Article, data: dict[str, Any], version: int | None = None) -> Article:
    """Change the working copy. A published or withdrawn article becomes a draft again; a live
    revision stays on the portal until the new text is reviewed and published."""
    _require(actor, Capability.EDUCATION_EDIT)
    article = _locked(article)
    if not in_scope(actor, article.region):
        raise _forbidden()
    if version is not None and version != article.version:
        raise ApplicationError(_("Someone else changed this article while you were editing. Reload it and "
                                 "make your changes again."), code="conflict", status=409)
    to = workflow.target("edit", article.status)
    if to is None:
        raise ApplicationError(_("An article in legal review cannot be edited. Ask the reviewer to return it "
                                 "first."), code="invalid_transition", status=409)
    content = _clean_content(data)
    _require_region(actor, content["region"])
    before = {f: getattr(article, f) for f in CONTENT_FIELDS}
    for name, value in content.items():
        setattr(article, name, value)
    changes = {f: [str(before[f]), str(getattr(article, f))] for f in CONTENT_FIELDS
               if before[f] != getattr(article, f)}
    from_status = article.status
    article.status = to
    article.version += 1
    article.save()
    _event(article, actor=actor, action="edit", from_status=from_status)
    audit_record(actor=actor, action="education.article.update", obj=article, changes=changes,
                 extra={"from": from_status, "to": to})
    return article


def _publish_revision(article: Article, *, actor, now: dt.datetime) -> ArticleRevision:
    number = (article.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    ArticleRevision.objects.filter(article=article, is_live=True).update(is_live=False)
    content = {f: getattr(article, f) for f in CONTENT_FIELDS}
    if content["last_checked"] is None:
        content["last_checked"] = timezone.localdate(now)
        article.last_checked = content["last_checked"]
    revision = ArticleRevision.objects.create(article=article, number=number, is_live=True, published_at=now,
                                              published_by=actor, **content)
    article.live = revision
    return revision


@transaction.atomic
def article_transition(*, actor, article: Article, action: str, note: str = "",
                       now: dt.datetime | None = None) -> Article:
    """submit, return, publish, recheck or withdraw, as workflow.TRANSITIONS allows."""
    if action not in workflow.TRANSITIONS or action == "edit":
        raise ApplicationError(_("Unknown action."), code="invalid_action")
    capability = (Capability.EDUCATION_PUBLISH if workflow.TRANSITIONS[action][2] == workflow.PUBLISH
                  else Capability.EDUCATION_EDIT)
    _require(actor, capability)
    article = _locked(article)
    if not in_scope(actor, article.region):
        raise _forbidden()
    to = workflow.target(action, article.status)
    if to is None:
        raise ApplicationError(_("This cannot be done to the article in its present state."),
                               code="invalid_transition", status=409)
    note = (note or "").strip()
    now = now or timezone.now()
    if action == "return" and not note:
        raise ApplicationError(_("Say what must change before the article can be published."),
                               code="note_required", field="note")
    if action == "publish" and actor.pk in {article.author_id, article.submitted_by_id}:
        raise ApplicationError(_("Someone other than the author must review and publish an article."),
                               code="reviewer_is_author", status=403)
    from_status = article.status
    extra: dict[str, Any] = {"from": from_status, "to": to}
    if action == "submit":
        article.submitted_by, article.submitted_at = actor, now
    elif action == "publish":
        extra["revision"] = _publish_revision(article, actor=actor, now=now).number
    elif action == "recheck":
        article.last_checked = timezone.localdate(now)
        if article.live_id:
            ArticleRevision.objects.filter(pk=article.live_id).update(last_checked=article.last_checked)
    elif action == "withdraw":
        ArticleRevision.objects.filter(article=article, is_live=True).update(is_live=False)
        article.live = None
    article.status = to
    article.version += 1
    article.save()
    _event(article, actor=actor, action=action, from_status=from_status, note=note)
    audit_record(actor=actor, action=f"education.article.{action}", obj=article, extra={**extra, "note": note[:500]})
    return article


# --- activities ---------------------------------------------------------------------------------

ACTIVITY_FIELDS = ("kind", "title", "organiser", "region", "place", "service_point", "starts_at", "ends_at",
                   "audience", "audience_note", "attendance", "materials", "follow_up_count", "follow_up_notes",
                   "status", "is_public")


def organisers_for(user):
    """Institutions that may organise an activity the user records: those inside the user's area."""
    qs = Institution.objects.all()
    paths = region_paths_for(user)
    if paths is not None:
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(region__path__startswith=path)
        qs = qs.filter(condition)
    return qs.select_related("region").order_by("region__path", "name")


def _clean_activity(actor, data: dict[str, Any]) -> dict[str, Any]:
    values = {name: data.get(name) for name in ACTIVITY_FIELDS}
    if values["kind"] not in ActivityKind.values:
        raise ApplicationError(_("Choose the kind of activity."), code="kind_invalid", field="kind")
    if values["audience"] not in EducationAudience.values:
        raise ApplicationError(_("Choose the audience from the list."), code="audience_invalid", field="audience")
    if values["status"] not in ActivityStatus.values:
        raise ApplicationError(_("Choose a status from the list."), code="status_invalid", field="status")
    if not (values["title"] or "").strip():
        raise ApplicationError(_("Give the activity a title."), code="title_required", field="title")
    if not (values["place"] or "").strip():
        raise ApplicationError(_("Say where the activity takes place."), code="place_required", field="place")
    if values["starts_at"] is None:
        raise ApplicationError(_("Give the date and time."), code="starts_at_required", field="starts_at")
    if values["ends_at"] and values["ends_at"] < values["starts_at"]:
        raise ApplicationError(_("The end cannot be before the start."), code="ends_before_start", field="ends_at")
    organiser: Institution | None = values["organiser"]
    if organiser is None or not in_scope(actor, organiser.region):
        raise ApplicationError(_("Choose an organiser inside your own area."), code="organiser_out_of_scope",
                               field="organiser")
    _require_region(actor, values["region"])
    point: ServicePoint | None = values["service_point"]
    if point is not None and not in_scope(actor, point.region):
        raise ApplicationError(_("Choose a service point inside your own area."), code="point_out_of_scope",
                               field="service_point")
    if values["status"] == ActivityStatus.HELD:
        if values["starts_at"] > timezone.now():
            raise ApplicationError(_("An activity that has not started yet cannot be marked as held."),
                                   code="held_in_future", field="status")
        if values["attendance"] is None:
            raise ApplicationError(_("Give the attendance of an activity that was held."),
                                   code="attendance_required", field="attendance")
    values["title"] = values["title"].strip()
    values["place"] = values["place"].strip()
    for name in ("audience_note", "materials", "follow_up_notes"):
        values[name] = (values[name] or "").strip()
    values["follow_up_count"] = values["follow_up_count"] or 0
    values["is_public"] = bool(values["is_public"])
    return values


def _describe(value: Any) -> str:
    return str(getattr(value, "pk", value)) if value is not None else ""


@transaction.atomic
def activity_create(*, actor, data: dict[str, Any]) -> Activity:
    _require(actor, Capability.EDUCATION_EDIT)
    values = _clean_activity(actor, data)
    activity = Activity.objects.create(created_by=actor, **values)
    audit_record(actor=actor, action="education.activity.create", obj=activity,
                 changes={k: _describe(v) for k, v in values.items() if k not in ("materials", "follow_up_notes")})
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, data: dict[str, Any]) -> Activity:
    _require(actor, Capability.EDUCATION_EDIT)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if not in_scope(actor, activity.region):
        raise _forbidden()
    values = _clean_activity(actor, data)
    changes = {}
    for name, value in values.items():
        if getattr(activity, name) != value:
            changes[name] = [_describe(getattr(activity, name)), _describe(value)]
            setattr(activity, name, value)
    activity.save()
    audit_record(actor=actor, action="education.activity.update", obj=activity, changes=changes)
    return activity


@transaction.atomic
def activity_photo_add(*, actor, activity: Activity, upload) -> ActivityPhoto:
    """A photo of the activity: JPEG or PNG only, size-limited and scanned like legal aid materials."""
    _require(actor, Capability.EDUCATION_EDIT)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if not in_scope(actor, activity.region):
        raise _forbidden()
    if activity.photos.count() >= MAX_PHOTOS:
        raise ApplicationError(_("An activity can have at most %(n)d photos.") % {"n": MAX_PHOTOS},
                               code="too_many_photos", field="photo")
    data = materials.read_upload(upload)
    file_type = materials.detect_type(data)
    if file_type not in PHOTO_TYPES:
        raise ApplicationError(_("Only photos (JPEG or PNG) can be added here."), code="not_a_photo", field="photo")
    materials.scan_upload(data)
    sha256 = hashlib.sha256(data).hexdigest()
    if activity.photos.filter(sha256=sha256).exists():
        raise ApplicationError(_("This photo has already been added."), code="duplicate_photo", field="photo")
    photo = ActivityPhoto(activity=activity, sha256=sha256, extension=file_type.extension,
                          content_type=file_type.content_type, size=len(data), uploaded_by=actor,
                          original_name=materials.clean_file_name(getattr(upload, "name", ""), file_type=file_type))
    photo.file.save(f"{sha256}{file_type.extension}", ContentFile(data), save=False)
    photo.save()
    audit_record(actor=actor, action="education.activity.photo_add", obj=activity,
                 extra={"sha256": sha256, "size": len(data)})
    return photo
