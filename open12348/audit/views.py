"""The audit administrator's screens: read, filter, export, and check the hash chain.

Nothing here changes or deletes an audit row; the only writes are the rows recording the
administrator's own export and chain check.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from open12348.accounts.permissions import require_capability, user_can
from open12348.accounts.roles import Capability

from .models import AuditAnchor, AuditEvent
from .selectors import AuditFilters, audit_event_list, audit_event_page
from .services import audit_chain_check, audit_record

PAGE_SIZE = 50
EXPORT_CHUNK = 2000
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("From (date)"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=gettext_lazy("To (date)"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    user = forms.CharField(label=gettext_lazy("Username"), required=False, max_length=150)
    action = forms.CharField(label=gettext_lazy("Event"), required=False, max_length=80,
                             help_text=gettext_lazy("The start is enough: “auth.” finds every sign-in event."))
    object_type = forms.CharField(label=gettext_lazy("Object type"), required=False, max_length=80)
    object_id = forms.CharField(label=gettext_lazy("Object id"), required=False, max_length=64)
    result = forms.ChoiceField(label=gettext_lazy("Result"), required=False,
                               choices=[("", gettext_lazy("Any result")), *AuditEvent.Result.choices])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm" if isinstance(field.widget, forms.Select) \
                else "form-control form-control-sm"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            date_from=data.get("date_from"), date_to=data.get("date_to"),
            username=(data.get("user") or "").strip(), action=(data.get("action") or "").strip(),
            object_type=(data.get("object_type") or "").strip(), object_id=(data.get("object_id") or "").strip(),
            result=data.get("result") or "",
        )


def _filter_query(form: AuditFilterForm) -> str:
    """The filters as a query string (without `before`), for links and the export button."""
    if not form.is_bound:
        return ""
    return urlencode({k: v for k, v in form.data.items() if k in form.fields and v})


def _parse_before(raw: str | None) -> int | None:
    try:
        value = int(raw) if raw else None
    except ValueError:
        return None
    return value if value and value > 0 else None


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(Capability.AUDIT_VIEW)
def log(request):
    """GET: the filtered log, newest first, by keyset pages. POST `verify`: check the hash chain.

    The chain check reads every row, so it runs when the administrator asks, not on page load.
    """
    form = AuditFilterForm(request.GET or None)
    if request.method == "POST":
        _verify_chain(request)
        query = _filter_query(form)
        return redirect(f"{reverse('audit:log')}{'?' + query if query else ''}")
    if form.is_bound and not form.is_valid():
        rows, next_before = [], None  # the errors show at the filters; no guessing at what was meant
    else:
        filters = form.filters() if form.is_bound else AuditFilters()
        rows, next_before = audit_event_page(filters=filters, before=_parse_before(request.GET.get("before")),
                                             size=PAGE_SIZE)
    for row in rows:
        row.changes_text = json.dumps(row.changes, ensure_ascii=False, sort_keys=True) if row.changes else ""
        row.extra_text = json.dumps(row.extra, ensure_ascii=False, sort_keys=True) if row.extra else ""
    query = _filter_query(form) if form.is_valid() else ""
    return render(request, "audit/log.html", {
        "form": form,
        "rows": rows,
        "next_before": next_before,
        "is_first_page": not request.GET.get("before"),
        "query": query,
        "can_export": user_can(request.user, Capability.AUDIT_EXPORT),
    })


def _verify_chain(request) -> None:
    intact, broken_id = audit_chain_check(actor=request.user)
    if intact:
        messages.success(request, _("The audit log is intact: every row matches its hash chain."))
    else:
        messages.error(request, _("The audit log has been tampered with: row %(id)s does not match the hash chain. "
                                  "Report this to the security administrator.") % {"id": broken_id})


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    """Text for one CSV cell. A leading = + - @ would make Excel run a formula, and usernames of
    failed sign-ins are typed by anyone, so such cells get a leading apostrophe."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


def _csv_lines(queryset) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # BOM: Excel then reads the file as UTF-8 and shows Chinese correctly
    yield writer.writerow([
        _("ID"), _("Time"), _("Username"), _("Event"), _("Object type"), _("Object id"), _("Object"),
        _("Result"), _("Source address"), _("Client"), _("Before and after"), _("Details"), _("Hash"),
    ])
    for event in queryset.iterator(chunk_size=EXPORT_CHUNK):
        yield writer.writerow([_cell(v) for v in (
            event.id,
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            event.actor_username,
            event.action,
            event.object_type,
            event.object_id,
            event.object_repr,
            event.result,
            event.source_ip,
            event.user_agent,
            json.dumps(event.changes, ensure_ascii=False, sort_keys=True) if event.changes else "",
            json.dumps(event.extra, ensure_ascii=False, sort_keys=True) if event.extra else "",
            event.hash,
        )])


@require_GET
@require_capability(Capability.AUDIT_EXPORT)
def export_csv(request):
    """Stream the filtered rows as CSV. The export itself is recorded before the first byte is sent."""
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest(_("The filters are not valid: %(errors)s")
                                      % {"errors": "; ".join(e for errs in form.errors.values() for e in errs)})
    filters = form.filters() if form.is_bound else AuditFilters()
    audit_record(actor=request.user, action="audit.export", extra={"format": "csv", "filters": filters.as_extra()})
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in _csv_lines(audit_event_list(filters=filters))),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_GET
@require_capability(Capability.AUDIT_VIEW)
def archives(request):
    """The purges so far: which rows went to which archive file, and where the kept chain starts."""
    return render(request, "audit/archives.html", {
        "anchors": AuditAnchor.objects.order_by("-last_id")[:200],
        "retention_days": settings.AUDIT_RETENTION_DAYS,
    })
