"""Forms of legal education: staff editing and the register, the citizens' search and filters."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from open12348.core.errors import ApplicationError
from open12348.legalaid.forms import StyledForm
from open12348.network.models import Region, ServicePoint

from . import services
from .choices import ActivityKind, ActivityStatus, EducationAudience, EducationTopic, NextStepKind

LOCAL_DATETIME = "%Y-%m-%dT%H:%M"


def add_service_error(form: forms.Form, exc: ApplicationError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return obj.name


class ArticleForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    summary = forms.CharField(label=_("Short summary"), max_length=300, required=False,
                              help_text=_("One or two sentences shown in lists and search results."),
                              widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(label=_("Article text"), widget=forms.Textarea(attrs={"rows": 14}),
                           help_text=_("Plain language. Empty lines separate paragraphs."))
    topic = forms.ChoiceField(label=_("Topic"), choices=EducationTopic.choices)
    audiences = forms.MultipleChoiceField(label=_("Audiences"), choices=EducationAudience.choices,
                                          widget=forms.CheckboxSelectMultiple)
    legal_basis = forms.CharField(label=_("Legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("The laws and article numbers, one per line."))
    next_step = forms.ChoiceField(label=_("What to do next"), choices=NextStepKind.choices)
    next_step_note = forms.CharField(label=_("Next step, in a sentence"), max_length=200, required=False)
    region = RegionChoiceField(label=_("Published for"), queryset=Region.objects.none(),
                               help_text=_("An article for the city is shown to everyone; one for a county mainly "
                                           "to people there."))
    last_checked = forms.DateField(label=_("Last checked against the law"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = services.regions_for_articles(user)

    def clean_last_checked(self):
        value = self.cleaned_data.get("last_checked")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class ActionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class OrganiserField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ServicePointField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ActivityForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=120, help_text=_("For example 送法进校园 at 卫东区第一小学."))
    organiser = OrganiserField(label=_("Organiser"), queryset=services.Institution.objects.none())
    region = RegionChoiceField(label=_("Area"), queryset=Region.objects.none())
    place = forms.CharField(label=_("Place"), max_length=200,
                            help_text=_("School, enterprise, village or street address."))
    service_point = ServicePointField(label=_("Service point"), queryset=ServicePoint.objects.none(), required=False)
    starts_at = forms.DateTimeField(label=_("Starts at"), input_formats=[LOCAL_DATETIME, "%Y-%m-%d %H:%M"],
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                               format=LOCAL_DATETIME))
    ends_at = forms.DateTimeField(label=_("Ends at"), required=False, input_formats=[LOCAL_DATETIME, "%Y-%m-%d %H:%M"],
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME))
    audience = forms.ChoiceField(label=_("Audience"), choices=EducationAudience.choices)
    audience_note = forms.CharField(label=_("Audience group"), max_length=120, required=False,
                                    help_text=_("For example 五年级学生, 建筑工地农民工."))
    attendance = forms.IntegerField(label=_("Attendance"), min_value=0, max_value=1_000_000, required=False)
    materials = forms.CharField(label=_("Materials used"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    follow_up_count = forms.IntegerField(label=_("Follow-up requests received"), min_value=0, max_value=100_000,
                                         required=False)
    follow_up_notes = forms.CharField(label=_("Follow-up notes"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}),
                                      help_text=_("Who asked for help and where they were sent (front desk, "
                                                  "legal aid, a lawyer's question). No ID numbers here."))
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    is_public = forms.BooleanField(label=_("Show on the portal calendar"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = services.organisers_for(user)
        self.fields["region"].queryset = services.regions_for_articles(user)
        points = ServicePoint.objects.all()
        paths = services.region_paths_for(user)
        if paths is not None:
            condition = services.Q(pk__in=[])
            for path in paths:
                condition |= services.Q(region__path__startswith=path)
            points = points.filter(condition)
        self.fields["service_point"].queryset = points.order_by("name")


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo"), help_text=_("JPEG or PNG."))


class PeriodForm(StyledForm):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    region = RegionChoiceField(label=_("Area"), queryset=Region.objects.none(), required=False,
                               empty_label=_("All areas you can see"))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = services.regions_for_articles(user)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The start of the period must not be after its end."))
        if start and end and (end - start) > dt.timedelta(days=3 * 366):
            raise forms.ValidationError(_("Choose a period of at most three years."))
        return data


# --- citizens -----------------------------------------------------------------------------------

class LearnSearchForm(forms.Form):
    q = forms.CharField(label=_("Search guides, answers and cases"), max_length=40, required=False,
                        help_text=_("Two characters are enough, for example 工资 or 工伤."))


class LearnFilterForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), required=False,
                              choices=[("", _("All topics")), *EducationTopic.choices])
    audience = forms.ChoiceField(label=_("Who it is for"), required=False,
                                 choices=[("", _("All audiences")), *EducationAudience.choices])
    county = forms.ChoiceField(label=_("My county or district"), required=False)

    def __init__(self, *args, counties, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("The whole city")), *[(c.code, c.name) for c in counties]]
