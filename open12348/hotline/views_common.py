"""Helpers shared by the hotline's console views."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from .access import hotlines_for
from .models import Hotline

PAGE_SIZE = 25


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
