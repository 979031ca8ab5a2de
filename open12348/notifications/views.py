"""The notification centre in the console: the inbox, marking read, and the header's unread badge.

Every signed-in user has an inbox and sees only their own notifications; someone else's is the
same 404 as a missing one. Writes go through services.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .access import access_notification

PAGE_SIZE = 20


def _safe_local_url(request: HttpRequest, url: str) -> str | None:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure()):
        return url
    return None


def _back_to_inbox(request: HttpRequest) -> HttpResponse:
    """Back to the page of the inbox the user came from (a `next` within the inbox only)."""
    inbox = reverse("notifications:inbox")
    target = _safe_local_url(request, request.POST.get("next", ""))
    return redirect(target if target and target.startswith(inbox) else inbox)


@never_cache
@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    queryset = selectors.notification_list_for(user=request.user, unread_only=unread_only)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {
        "page": page,
        "rows": page.object_list,
        "unread_only": unread_only,
        "unread_count": selectors.notification_unread_count(user=request.user),
        "query": "unread=1" if unread_only else "",
    })


@require_POST
@login_required
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = access_notification(user=request.user, id=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    return _back_to_inbox(request)


@require_POST
@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read and follow the notification's link (only a link within this site)."""
    notification = access_notification(user=request.user, id=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    target = _safe_local_url(request, notification.url)
    return redirect(target or reverse("notifications:inbox"))


@require_POST
@login_required
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(actor=request.user)
    if count:
        messages.success(request, ngettext("%(count)d notification marked as read.",
                                           "%(count)d notifications marked as read.", count) % {"count": count})
    else:
        messages.info(request, _("There was no unread notification."))
    return _back_to_inbox(request)


@never_cache
@require_GET
def unread_count(request: HttpRequest) -> HttpResponse:
    """The header's link to the inbox with the unread count; htmx polls it. Empty when signed out,
    so a page left open after the session ended simply loses the badge."""
    if not request.user.is_authenticated:
        return HttpResponse("")
    return render(request, "notifications/_unread_count.html",
                  {"count": selectors.notification_unread_count(user=request.user)})
