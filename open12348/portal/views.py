"""The portal's home page, the large-text switch and the privacy notice."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST, require_safe

from open12348.consult.selectors import library_latest

from .identity import safe_next
from .notices import NOTICE_VERSIONS
from .preferences import set_elder_mode


def optional_url(name: str, *args) -> str:
    """The address of a page that may not be installed yet (part B's), or ""."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    context = {"portal_section": "home", "apply_url": optional_url("portal:apply"),
               "track_url": optional_url("portal:track"), "forms_url": optional_url("portal:forms"),
               "latest": library_latest(limit=3)}
    return render(request, "portal/home.html", context)


@require_POST
def elder_mode_switch(request: HttpRequest) -> HttpResponse:
    """Turn large text on or off and go back to the same page. A plain form: works without JavaScript."""
    response = redirect(safe_next(request, request.POST.get("next")))
    set_elder_mode(response, on=request.POST.get("on") == "1", secure=request.is_secure())
    return response


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html", {"versions": NOTICE_VERSIONS})
