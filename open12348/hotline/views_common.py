"""Helpers shared by the hotline's console views."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from open12348.audit.services import audit_record

from .access import can_any, hotlines_for
from .models import Hotline

PAGE_SIZE = 25


def require_any_capability(*capabilities: str):
    """View decorator: signed in, then any of the capabilities, else 403 with an audit row."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can_any(request.user, *capabilities):
                audit_record(actor=request.user, action="auth.permission_denied", result="denied",
                             extra={"capability": list(capabilities), "path": request.path[:200]})
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def chosen_hotline(request: HttpRequest) -> tuple[Hotline, list[Hotline]]:
    """The hotline a page is about (?hotline=id among the user's, else their first) and the choices."""
    hotlines = list(hotlines_for(request.user).order_by("region__code", "id"))
    if not hotlines:
        raise Http404
    wanted = request.GET.get("hotline") or request.POST.get("hotline")
    chosen = next((h for h in hotlines if str(h.pk) == wanted), hotlines[0])
    return chosen, hotlines


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
