"""Template filters of the hotline pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def percent(value) -> str:
    """A ratio as a percentage with two decimals (0.98 → 98.00%); a dash when there is none."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value) * 100:.2f}%"


@register.filter
def seconds(value) -> str:
    """A duration in seconds with its unit (12.5 → "12.5 s" / "12.5 秒"); a dash when there is none."""
    if value is None or value == "":
        return "—"
    return _("%(n)s s") % {"n": value}
