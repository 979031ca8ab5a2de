"""Staff screens at /education/: articles through the editorial workflow, the activity register,
photos and the outreach report."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from open12348.accounts.permissions import require_any_capability, require_capability, user_can
from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError

from . import documents, reports, selectors, services, workflow
from .choices import ActivityKind, ActivityStatus, ArticleStatus, EducationTopic
from .forms import ActionForm, ActivityForm, ArticleForm, PeriodForm, PhotoForm, add_service_error
from .models import ActivityPhoto
from .nextsteps import next_step

PAGE_SIZE = 25
EDITORS = (Capability.EDUCATION_EDIT, Capability.EDUCATION_PUBLISH)
ACTION_LABELS = {
    "submit": _l("Send to legal review"), "return": _l("Return to the author"), "publish": _l("Publish"),
    "recheck": _l("Confirm it is still correct"), "withdraw": _l("Withdraw from the portal"),
}
EVENT_LABELS = {**ACTION_LABELS, "create": _l("Created"), "edit": _l("Edited")}


# --- articles ------------------------------------------------------------------------------------

@never_cache
@require_GET
@require_any_capability(*EDITORS)
def articles(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("view", "all")
    view = view if view in selectors.ARTICLE_VIEWS else "all"
    topic = request.GET.get("topic", "")
    today = timezone.localdate()
    qs = selectors.articles_visible_to(user=request.user, view=view, topic=topic, q=request.GET.get("q", "").strip(),
                                       today=today)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    cutoff = workflow.recheck_before(today)
    rows = [{"obj": a, "due": a.status == ArticleStatus.PUBLISHED and (a.last_checked is None or a.last_checked < cutoff),
             "live": a.live_id is not None} for a in page.object_list]
    due_count = selectors.articles_visible_to(user=request.user, view="due", today=today).count()
    return render(request, "education/articles.html", {
        "page_obj": page, "rows": rows, "view": view, "topic": topic,
        "views": [("all", _("All")), *[(v, dict(ArticleStatus.choices)[v]) for v in ("draft", "review", "published")],
                  ("due", _("Due for re-check")), ("withdrawn", dict(ArticleStatus.choices)["withdrawn"])],
        "topics": EducationTopic.choices, "due_count": due_count,
        "recheck_days": workflow.recheck_days(), "q": request.GET.get("q", ""),
        "can_edit": user_can(request.user, Capability.EDUCATION_EDIT),
    })


def _article_initial(article) -> dict:
    return {"title": article.title, "summary": article.summary, "body": article.body, "topic": article.topic,
            "audiences": article.audiences, "legal_basis": article.legal_basis, "next_step": article.next_step,
            "next_step_note": article.next_step_note, "region": article.region_id,
            "last_checked": article.last_checked, "version": article.version}


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(Capability.EDUCATION_EDIT)
def article_new(request: HttpRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(actor=request.user, data=form.cleaned_data)
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Draft saved. Send it to legal review when it is ready."))
            return redirect("education:article", pk=article.pk)
    return render(request, "education/article_form.html", {"form": form, "article": None},
                  status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(Capability.EDUCATION_EDIT)
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.access_article(user=request.user, id=pk)
    form = ArticleForm(request.POST or None, user=request.user, initial=_article_initial(article))
    if request.method == "POST" and form.is_valid():
        try:
            services.article_update(actor=request.user, article=article, data=form.cleaned_data,
                                    version=form.cleaned_data.get("version"))
        except ApplicationError as exc:
            if exc.status == 403:
                raise PermissionDenied from exc
            add_service_error(form, exc)
        else:
            messages.success(request, _("Changes saved as a draft. The published text stays on the portal until "
                                        "the new one is reviewed.") if article.live_id else _("Changes saved."))
            return redirect("education:article", pk=article.pk)
    return render(request, "education/article_form.html", {"form": form, "article": article},
                  status=400 if form.errors else 200)


@never_cache
@require_GET
@require_any_capability(*EDITORS)
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.access_article(user=request.user, id=pk)
    today = timezone.localdate()
    statuses = dict(ArticleStatus.choices)
    actions = []
    for action in workflow.actions_from(article.status):
        if action == "edit":
            continue
        needs = workflow.TRANSITIONS[action][2]
        cap = Capability.EDUCATION_PUBLISH if needs == workflow.PUBLISH else Capability.EDUCATION_EDIT
        if user_can(request.user, cap):
            actions.append((action, ACTION_LABELS[action]))
    return render(request, "education/article.html", {
        "article": article, "actions": actions,
        "timeline": [{"at": e.at, "actor": e.actor, "note": e.note, "label": EVENT_LABELS.get(e.action, e.action),
                      "status_label": statuses.get(e.to_status, "")}
                     for e in selectors.article_timeline(article=article)],
        "action_form": ActionForm(), "due": article.status == ArticleStatus.PUBLISHED
        and workflow.is_due(article.last_checked, today),
        "can_edit": user_can(request.user, Capability.EDUCATION_EDIT) and "edit" in workflow.actions_from(article.status),
        "next_step": next_step(article.next_step),
    })


@require_POST
@require_any_capability(*EDITORS)
def article_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    article = selectors.access_article(user=request.user, id=pk)
    if action not in ACTION_LABELS:
        raise Http404
    form = ActionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.article_transition(actor=request.user, article=article, action=action, note=note)
    except ApplicationError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied from exc
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": ACTION_LABELS[action]})
    return redirect("education:article", pk=article.pk)


# --- activities ----------------------------------------------------------------------------------

@never_cache
@require_GET
@require_capability(Capability.EDUCATION_EDIT)
def activities(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    qs = selectors.activities_visible_to(user=request.user, status=status, kind=kind)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "education/activities.html", {
        "page_obj": page, "status": status, "kind": kind, "statuses": ActivityStatus.choices,
        "kinds": ActivityKind.choices,
    })


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(Capability.EDUCATION_EDIT)
def activity_new(request: HttpRequest) -> HttpResponse:
    form = ActivityForm(request.POST or None, user=request.user,
                        initial={"status": ActivityStatus.PLANNED, "is_public": True})
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=request.user, data=form.cleaned_data)
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Activity recorded."))
            return redirect("education:activity", pk=activity.pk)
    return render(request, "education/activity_form.html", {"form": form, "activity": None},
                  status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(Capability.EDUCATION_EDIT)
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.access_activity(user=request.user, id=pk)
    initial = {name: getattr(activity, name) for name in services.ACTIVITY_FIELDS}
    for name in ("starts_at", "ends_at"):
        if initial[name]:
            initial[name] = timezone.localtime(initial[name])
    form = ActivityForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=request.user, activity=activity, data=form.cleaned_data)
        except ApplicationError as exc:
            if exc.code == "forbidden":
                raise PermissionDenied from exc
            add_service_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("education:activity", pk=activity.pk)
    return render(request, "education/activity_form.html", {"form": form, "activity": activity},
                  status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(Capability.EDUCATION_EDIT)
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.access_activity(user=request.user, id=pk)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_photo_add(actor=request.user, activity=activity, upload=form.cleaned_data["photo"])
        except ApplicationError as exc:
            form.add_error("photo", str(exc.message))
        else:
            messages.success(request, _("Photo added."))
            return redirect("education:activity", pk=activity.pk)
    return render(request, "education/activity.html", {
        "activity": activity, "photos": list(activity.photos.all()), "photo_form": form,
    }, status=400 if form.errors else 200)


@require_GET
@require_capability(Capability.EDUCATION_EDIT)
def activity_photo(request: HttpRequest, pk: int, photo_id: int) -> FileResponse:
    activity = selectors.access_activity(user=request.user, id=pk)
    photo = ActivityPhoto.objects.filter(activity=activity, pk=photo_id).first()
    if photo is None:
        raise Http404
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- the report -----------------------------------------------------------------------------------

def _default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    return today.replace(month=1, day=1), today


@never_cache
@require_GET
@require_capability(Capability.EDUCATION_EDIT)
def activity_report(request: HttpRequest) -> HttpResponse:
    start, end = _default_period(timezone.localdate())
    bound = bool(request.GET.get("start") or request.GET.get("end"))
    form = PeriodForm(request.GET if bound else None, user=request.user, initial={"start": start, "end": end})
    report = None
    if bound and form.is_valid():
        start, end, region = form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data.get("region")
    elif bound:
        return render(request, "education/report.html", {"form": form, "report": None}, status=400)
    else:
        region = None
    report = reports.activity_report(user=request.user, start=start, end=end, region=region)
    fmt = request.GET.get("format", "")
    if fmt in ("xlsx", "pdf"):
        audit_record(actor=request.user, action="education.report.export",
                     extra={"format": fmt, "start": start.isoformat(), "end": end.isoformat(),
                            "region": region.pk if region else None})
        stem = f"outreach-{start.isoformat()}-{end.isoformat()}"
        if fmt == "xlsx":
            return _file(documents.report_xlsx(report), f"{stem}.xlsx",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return _file(documents.report_pdf(report), f"{stem}.pdf", "application/pdf")
    query = request.GET.copy()
    query.pop("format", None)
    if not bound:
        query.update({"start": start.isoformat(), "end": end.isoformat()})
    return render(request, "education/report.html", {"form": form, "report": report, "query": query.urlencode()})


def _file(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
