from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from open12348.accounts.scope import region_paths_for
from open12348.network.models import Region

from .selectors import Period

LONGEST_PERIOD_DAYS = 3660


def counties_visible_to(user):
    """The county-level regions inside the user's data scope (all of them for the whole city)."""
    counties = Region.objects.filter(level="county").order_by("code")
    paths = region_paths_for(user)
    if paths is None:
        return counties
    visible = Q(pk__in=[])
    for path in paths:
        visible |= Q(path__startswith=path)
    return counties.filter(visible)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    region = forms.ModelChoiceField(label=_("County"), required=False, queryset=Region.objects.none(),
                                    empty_label=_("Everywhere I may see"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = counties_visible_to(user)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        start, end = data.get("start") or dt.date(today.year, 1, 1), data.get("end") or today
        if start > end:
            self.add_error("end", _("The end of the period cannot be before its start."))
        elif (end - start).days > LONGEST_PERIOD_DAYS:
            self.add_error("start", _("Choose a period of at most ten years."))
        data["period"] = Period(start, end)
        return data
