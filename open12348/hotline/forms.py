"""Console forms of the hotline. They check the shape of the input; the rules are in the services,
whose ApplicationError lands on the field it names (`apply_service_error`)."""

from __future__ import annotations

import datetime as dt
import uuid

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from open12348.accounts.models import Membership, User
from open12348.accounts.roles import Role
from open12348.accounts.scope import region_paths_for
from open12348.core.errors import ApplicationError
from open12348.legalaid.choices import AidForm, CaseCategory, Stage
from open12348.legalaid.eligibility import Matter
from open12348.network.choices import InstitutionKind
from open12348.network.models import Institution

from .choices import AttemptOutcome, CallChannel, CallStatus, Category, Referral, Topic
from .models import Hotline, PoolMember, RosterEntry, Seat, Shift
from .services.hotline import STANDARD_FIELDS
from .standards import CHECKLIST

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 1}, format="%Y-%m-%dT%H:%M:%S")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]


def apply_service_error(form: forms.Form, exc: ApplicationError) -> None:
    """Put a service's refusal next to the input it names ("scores.greeting" → "greeting")."""
    field = (exc.field or "").split(".")[-1]
    form.add_error(field if field in form.fields else None, str(exc.message))


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, so templates can render fields in a loop."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.HiddenInput):
                continue
            css = ("form-check-input" if isinstance(widget, forms.CheckboxInput)
                   else "form-select" if isinstance(widget, forms.Select) else "form-control")
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def _blank(choices, label) -> list:
    return [("", label), *choices]


def answerers(hotline: Hotline):
    """Who may be recorded as having taken a call: the pool, and the operators and supervisors whose
    organisation's region covers the hotline's."""
    memberships = (Membership.objects.filter(role__in=[Role.HOTLINE_OPERATOR, Role.HOTLINE_SUPERVISOR],
                                             is_active=True, user__is_active=True)
                   .select_related("institution__region"))
    staff = {m.user_id for m in memberships if hotline.region.path.startswith(m.institution.region.path)}
    pool = set(PoolMember.objects.filter(hotline=hotline, is_active=True).values_list("user_id", flat=True))
    return User.objects.filter(pk__in=staff | pool).order_by("username")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.real_name or obj.username} ({obj.username})"


class OrderFilterForm(StyledForm):
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=_blank(CallChannel.choices, _("All")))
    status = forms.ChoiceField(label=_("Call status"), required=False, choices=_blank(CallStatus.choices, _("All")))
    topic = forms.ChoiceField(label=_("Legal topic"), required=False, choices=_blank(Topic.choices, _("All")))
    phone = forms.CharField(label=_("Caller's number"), required=False, max_length=30)
    number = forms.CharField(label=_("Work order number"), required=False, max_length=20)
    mine = forms.BooleanField(label=_("Taken by me"), required=False)
    to_record = forms.BooleanField(label=_("Content still to record"), required=False)

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


class ManualCallForm(StyledForm):
    token = forms.CharField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(label=_("Channel"), choices=CallChannel.choices, initial=CallChannel.CALL)
    caller_phone = forms.CharField(label=_("Caller's number"), max_length=30)
    caller_name = forms.CharField(label=_("Caller's name"), max_length=50, required=False)
    rang_at = forms.DateTimeField(label=_("Rang (or received) at"), widget=DATETIME_WIDGET,
                                  input_formats=DATETIME_FORMATS)
    answered_at = forms.DateTimeField(label=_("Answered at"), required=False, widget=DATETIME_WIDGET,
                                      input_formats=DATETIME_FORMATS, help_text=_("Leave empty if nobody answered."))
    ended_at = forms.DateTimeField(label=_("Ended at"), required=False, widget=DATETIME_WIDGET,
                                   input_formats=DATETIME_FORMATS)
    seat = forms.ModelChoiceField(label=_("Seat"), queryset=Seat.objects.none(), required=False)
    answered_by = UserChoiceField(label=_("Answered by"), queryset=User.objects.none(), required=False)
    recording_url = forms.URLField(label=_("Recording address"), required=False, max_length=500,
                                   assume_scheme="https")
    message_text = forms.CharField(label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("For an SMS or a web message: the caller's text."))

    def __init__(self, *args, hotline: Hotline, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = Seat.objects.filter(hotline=hotline, is_active=True)
        self.fields["answered_by"].queryset = answerers(hotline)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4().hex)


class RecordForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    caller_name = forms.CharField(label=_("Caller's name"), max_length=50, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=_blank(Category.choices, _("Choose")), required=False)
    topic = forms.ChoiceField(label=_("Legal topic"), choices=_blank(Topic.choices, _("Choose")), required=False)
    question = forms.CharField(label=_("Question"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    answer = forms.CharField(label=_("Answer given"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    resolved = forms.NullBooleanField(label=_("Resolved"), required=False, widget=forms.NullBooleanSelect)
    follow_up_needed = forms.BooleanField(label=_("Follow-up needed"), required=False,
                                          help_text=_("Opens a follow-up callback (feedback within the hotline's "
                                                      "working days)."))


class ReferForm(StyledForm):
    referral = forms.ChoiceField(label=_("Refer to"), choices=[(Referral.MEDIATION, Referral.MEDIATION.label),
                                                               (Referral.OTHER_DEPARTMENT,
                                                                Referral.OTHER_DEPARTMENT.label)])
    referral_to = forms.CharField(label=_("Department or organisation"), max_length=100)


def matter_choices() -> list:
    return [("", _("Choose the matter"))] + [(code, f"{code} {label}") for code, label in Matter.choices
                                            if not code.startswith(("CR-N-", "CM-N-"))]


class LegalAidReferralForm(StyledForm):
    """The intake form of a hotline referral, pre-filled from the work order (referrals.py)."""

    centre = forms.ModelChoiceField(label=_("Legal aid centre"), queryset=Institution.objects.none())
    applicant_name = forms.CharField(label=_("Applicant's name"), max_length=50)
    applicant_phone = forms.CharField(label=_("Applicant's phone"), max_length=20, required=False)
    applicant_id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    matter = forms.ChoiceField(label=_("Matter"), choices=())
    matter_subtype = forms.CharField(label=_("Sub-type"), max_length=40, required=False)
    category = forms.ChoiceField(label=_("Case category"), choices=CaseCategory.choices)
    aid_form = forms.ChoiceField(label=_("Form of legal aid requested"), choices=AidForm.choices)
    stage = forms.ChoiceField(label=_("Procedural stage"), choices=_blank(Stage.choices, "—"), required=False)
    cause = forms.CharField(label=_("Cause of action"), max_length=100, required=False)
    facts = forms.CharField(label=_("Facts"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        centres = Institution.objects.filter(kind=InstitutionKind.LEGAL_AID_CENTRE).select_related("region")
        paths = region_paths_for(user)
        if paths is not None:
            by_path = Q()
            for path in paths:
                by_path |= Q(region__path__startswith=path)
            centres = centres.filter(by_path) if paths else centres.none()
        self.fields["centre"].queryset = centres.order_by("region__code", "name")
        self.fields["matter"].choices = matter_choices()


class ExpertForm(StyledForm):
    expert = UserChoiceField(label=_("Expert"), queryset=User.objects.none())
    question = forms.CharField(label=_("Question for the expert"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, hotline: Hotline, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = answerers(hotline)


class AttemptForm(StyledForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=AttemptOutcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    answer = forms.CharField(label=_("Answer given to the caller"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class GiveUpForm(StyledForm):
    reason = forms.CharField(label=_("Why the caller cannot be reached"), widget=forms.Textarea(attrs={"rows": 2}))


class MonthForm(StyledForm):
    month = forms.CharField(label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}), required=False)

    def month_value(self) -> tuple[int, int]:
        today = timezone.localdate()
        value = self.data.get("month") or ""
        try:
            year, month = (int(p) for p in value.split("-"))
            dt.date(year, month, 1)
        except (ValueError, TypeError):
            return today.year, today.month
        return year, month


class RosterGenerateForm(StyledForm):
    month = forms.CharField(label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}))
    replace = forms.BooleanField(label=_("Replace the remaining days if the month has a roster"), required=False)
    seed = forms.IntegerField(label=_("Random seed"), required=False, min_value=0,
                              help_text=_("Empty: a new draw. The same seed gives the same roster."))

    def clean_month(self) -> tuple[int, int]:
        try:
            year, month = (int(p) for p in self.cleaned_data["month"].split("-"))
            dt.date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(_("Choose a month.")) from None
        return year, month


class LeaveForm(StyledForm):
    user = UserChoiceField(label=_("Person"), queryset=User.objects.none())
    starts = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    ends = forms.DateField(label=_("To"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, hotline: Hotline, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(hotline_pools__hotline=hotline).order_by("username")


class EntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.date:%Y-%m-%d} {obj.shift.name} {obj.seat.name} · {obj.user}"


class SwapForm(StyledForm):
    entry = EntryChoiceField(label=_("Slot"), queryset=RosterEntry.objects.none())
    other = EntryChoiceField(label=_("Swap with"), queryset=RosterEntry.objects.none())

    def __init__(self, *args, hotline: Hotline, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        coming = (RosterEntry.objects.filter(hotline=hotline, date__gte=timezone.localdate())
                  .select_related("shift", "seat", "user").order_by("date", "shift__starts", "seat__code")[:400])
        self.fields["entry"].queryset = self.fields["other"].queryset = RosterEntry.objects.filter(
            pk__in=[e.pk for e in coming]).select_related("shift", "seat", "user").order_by("date", "seat__code")


class AssignForm(StyledForm):
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    shift = forms.ModelChoiceField(label=_("Shift"), queryset=Shift.objects.none())
    seat = forms.ModelChoiceField(label=_("Seat"), queryset=Seat.objects.none())
    user = UserChoiceField(label=_("Person"), queryset=User.objects.none())

    def __init__(self, *args, hotline: Hotline, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shift"].queryset = Shift.objects.filter(hotline=hotline, is_active=True)
        self.fields["seat"].queryset = Seat.objects.filter(hotline=hotline, is_active=True)
        self.fields["user"].queryset = User.objects.filter(hotline_pools__hotline=hotline,
                                                           hotline_pools__is_active=True).order_by("username")


class SearchForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("e.g. 工伤, 拖欠工资, 离婚冷静期"),
                                                      "autofocus": True}))
    topic = forms.ChoiceField(label=_("Legal topic"), required=False, choices=_blank(Topic.choices, _("All")))


class ArticleForm(StyledForm):
    question = forms.CharField(label=_("Question"), max_length=300)
    topic = forms.ChoiceField(label=_("Legal topic"), choices=_blank(Topic.choices, _("Choose")))
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 8}))
    legal_basis = forms.CharField(label=_("Legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PeriodForm(StyledForm):
    start = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)

    def period(self) -> tuple[dt.date, dt.date]:
        """The chosen period; by default the year up to yesterday (today has its own panel)."""
        today = timezone.localdate()
        start, end = today - dt.timedelta(days=365), today - dt.timedelta(days=1)
        if self.is_valid():
            start = self.cleaned_data.get("start") or start
            end = self.cleaned_data.get("end") or end
        return (start, end) if start <= end else (end, start)


class SampleForm(StyledForm):
    period_start = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    period_end = forms.DateField(label=_("To"), widget=DATE_WIDGET)
    rate = forms.DecimalField(label=_("Share drawn"), required=False, min_value=0, max_value=1, decimal_places=3,
                              help_text=_("Empty: the hotline's standard (5 %)."))
    seed = forms.IntegerField(label=_("Random seed"), required=False, min_value=0,
                              help_text=_("Repeat a draw by giving its seed."))


class ReviewForm(StyledForm):
    feedback = forms.CharField(label=_("Feedback to the person"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for item in CHECKLIST:
            self.fields[item.code] = forms.IntegerField(label=item.title, min_value=0, max_value=100,
                                                        help_text=item.guide,
                                                        widget=forms.NumberInput(attrs={"class": "form-control"}))
        self.order_fields([item.code for item in CHECKLIST] + ["feedback"])

    def scores(self) -> dict[str, int]:
        return {item.code: self.cleaned_data[item.code] for item in CHECKLIST}


class StandardsForm(forms.ModelForm):
    class Meta:
        model = Hotline
        fields = STANDARD_FIELDS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control"
            widget.attrs["class"] = css


class RatingForm(forms.Form):
    rating = forms.ChoiceField(label=_("How satisfied were you with the answer?"), widget=forms.RadioSelect,
                               choices=[("satisfied", _("Satisfied")), ("fair", _("Fairly satisfied")),
                                        ("dissatisfied", _("Dissatisfied"))])
