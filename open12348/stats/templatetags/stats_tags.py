"""How a dashboard figure is written: counts and yuan with thousands separators, shares with %."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def figure(value, unit: str = "count") -> str:
    if value is None:
        return "—"
    if unit == "pct":
        return f"{floatformat(value, 2)} %"
    if unit == "yuan":  # grouped by thousands as financial statements write them, whatever the locale
        return f"{Decimal(value):,.2f}"
    if unit == "number":
        return floatformat(value, 1)
    return f"{int(value):,}"
