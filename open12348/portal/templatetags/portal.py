"""Template helpers of the portal layout: `{% load portal %}`."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

from ..identity import citizen_phone
from ..preferences import elder_mode

register = template.Library()


@register.simple_tag(takes_context=True)
def citizen_signed_in(context) -> bool:
    """Whether this browser has a proved phone (for the layout's "sign out" link)."""
    request = context.get("request")
    return request is not None and citizen_phone(request) is not None


@register.simple_tag(takes_context=True)
def elder(context) -> bool:
    """Whether the large-text mode is on, for pages that say things more simply in it."""
    request = context.get("request")
    return request is not None and elder_mode(request)


@register.simple_tag
def optional_url(name: str, *args) -> str:
    """The address of a page that may not be installed (part B's application pages), or ""."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""
