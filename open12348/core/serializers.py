"""Serializers for the core API: the legal-day clock, and the project's error shape for the schema."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

MAX_PERIOD_DAYS = 3650
# Far enough either way for any case file; keeps start + days inside what dates can hold.
EARLIEST_START, LATEST_START = dt.date(1990, 1, 1), dt.date(2180, 12, 31)
_DIGITS = re.compile(r"[0-9]{1,9}")


class ApiErrorSerializer(serializers.Serializer):
    """The project's error shape (open12348.api.errors): `fields` maps an input to its messages."""

    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class WholeDaysField(serializers.IntegerField):
    """Digits only: '7' is a period, '7.0', '+7' and '1e1' are not."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not _DIGITS.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class CalendarDeadlineQuerySerializer(serializers.Serializer):
    start = serializers.DateField(
        input_formats=["%Y-%m-%d"],
        help_text="The day of the event (YYYY-MM-DD). It is not counted: day 1 is the day after.",
        error_messages={
            "required": _("Enter the day the period starts from, as YYYY-MM-DD."),
            "invalid": _("The start date must be a real date written as YYYY-MM-DD, such as 2025-09-26."),
            "null": _("Enter the day the period starts from, as YYYY-MM-DD."),
        },
    )
    days = WholeDaysField(
        min_value=1, max_value=MAX_PERIOD_DAYS,
        help_text=f"The length of the period in calendar days, 1 to {MAX_PERIOD_DAYS}.",
        error_messages={
            "required": _("Enter the number of days in the period."),
            "invalid": _("The number of days must be a whole number, such as 7."),
            "min_value": _("The number of days must be at least 1."),
            "max_value": _("The number of days can be at most {max_value}."),
            "max_string_length": _("The number of days must be a whole number, such as 7."),
            "null": _("Enter the number of days in the period."),
        },
    )

    def validate_start(self, value: dt.date) -> dt.date:
        if not EARLIEST_START <= value <= LATEST_START:
            raise serializers.ValidationError(
                _("The start date must be between %(first)s and %(last)s.")
                % {"first": EARLIEST_START.isoformat(), "last": LATEST_START.isoformat()}
            )
        return value


class CalendarDeadlineSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="The day of the event, as given.")
    days = serializers.IntegerField(help_text="The length of the period in days, as given.")
    due = serializers.DateField(help_text="The last day of the period, moved off rest days and public holidays.")
    calendar_complete = serializers.BooleanField(
        help_text="False when a year the answer depends on has no holiday data yet: the date was computed from "
        "weekends only and is provisional.",
    )
    moved_over = serializers.ListField(
        child=serializers.DateField(),
        help_text="The rest days and holidays the end of the period moved past, in order (empty if none).",
    )
