"""Forms of the case screens: assignment, the lawyer's work on a case, closing, archive review, subsidy.

Forms check the shape of the input (400-type errors); the rules (transitions, conflicts, the
checklist) live in services_cases.py and come back as ApplicationError, which
`forms.apply_application_error` puts next to the input it concerns.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from open12348.accounts.scope import region_paths_for
from open12348.network.choices import InstitutionKind
from open12348.network.models import Institution, Practitioner

from .choices import CaseStatus, HowEnded, ProgressKind
from .eligibility.codes import Termination
from .forms import ActionForm, StyledForm, _blank
from .selectors_cases import ASSIGNABLE_KINDS

HANDLING_INSTITUTION_KINDS = (InstitutionKind.LAW_FIRM, InstitutionKind.LEGAL_AID_CENTRE,
                              InstitutionKind.LEGAL_SERVICE_OFFICE)
FILE_RATINGS = (("优秀", _("Excellent")), ("良好", _("Good")), ("合格", _("Qualified")),
                ("不合格", _("Unqualified: the subsidy is reduced or withheld")))
DEADLINE_FILTERS = (
    ("due_today", _("Due today")),
    ("due_soon", _("Due within 3 days")),
    ("overdue", _("Overdue")),
    ("no_progress", _("No recent progress entry")),
)

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
_MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0"), "initial": Decimal("0"),
          "required": False}


def _in_scope(*, user, field: str = "region") -> Q:
    """A Q for the user's region subtree (an empty Q for a superuser, an impossible one for nobody)."""
    paths = region_paths_for(user)
    if paths is None:
        return Q()
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__path__startswith": path})
    return condition


def assignable_practitioners(*, user, also: list[int] | None = None) -> QuerySet[Practitioner]:
    """People the dispatcher may choose: assignable kinds in their area, plus the suggested ones."""
    condition = _in_scope(user=user)
    if also:
        condition |= Q(pk__in=also)
    return (Practitioner.objects.filter(kind__in=ASSIGNABLE_KINDS).filter(condition)
            .select_related("institution", "region").order_by("name", "id"))


def handling_institutions(*, user, also: list[int] | None = None) -> QuerySet[Institution]:
    condition = _in_scope(user=user)
    if also:
        condition |= Q(pk__in=also)
    return Institution.objects.filter(kind__in=HANDLING_INSTITUTION_KINDS).filter(condition).order_by("name", "id")


class PractitionerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Practitioner) -> str:
        return f"{obj.name} · {obj.institution.name}" if obj.institution_id else obj.name


# --- assignment --------------------------------------------------------------------------------

class AssignForm(ActionForm):
    """The dispatcher's choice. `version` is the APPLICATION's version (two dispatchers: one wins)."""

    lawyer = PractitionerChoiceField(
        label=_("Lawyer or legal aid worker"), queryset=Practitioner.objects.none(),
        error_messages={"required": _("Choose who handles the case."),
                        "invalid_choice": _("Choose a lawyer from the list or from the search.")})
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none(), required=False,
        help_text=_("Leave empty for the lawyer's own firm."),
        error_messages={"invalid_choice": _("Choose an institution from the list.")})
    conflict_override = forms.CharField(
        label=_("Why the conflict of interest does not prevent this assignment"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
        help_text=_("Needed only when the conflict check found the opposing party in this lawyer's or firm's "
                    "other cases. The reason is kept with the assignment."))

    def __init__(self, *args, user, suggested: list[int] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lawyer"].queryset = assignable_practitioners(user=user, also=suggested)
        self.fields["institution"].queryset = handling_institutions(user=user)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"lawyer": data["lawyer"], "institution": data.get("institution"),
                "conflict_override": (data.get("conflict_override") or "").strip()}


class ReassignForm(AssignForm):
    """Art. 55: the aided person asks for another lawyer; the version is the CASE's."""

    reason = forms.CharField(label=_("Why the lawyer is replaced"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=1000,
                             error_messages={"required": _("Give the reason for replacing the lawyer.")})
    field_order = ["lawyer", "institution", "reason", "conflict_override"]

    def service_kwargs(self) -> dict[str, Any]:
        return {**super().service_kwargs(), "reason": self.cleaned_data["reason"].strip()}


class LawyerSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a lawyer by name or pinyin"), max_length=40, required=False)


# --- the case list and the planning screens ---------------------------------------------------

class CaseFilterForm(StyledForm):
    """The case list's filters. Invalid input is ignored rather than shown as an error page."""

    q = forms.CharField(label=_("Number or aided person"), required=False, max_length=50)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_blank(CaseStatus.choices, _("Any status")))
    deadline = forms.ChoiceField(label=_("Deadline"), required=False,
                                 choices=_blank(DEADLINE_FILTERS, _("Any deadline")))

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class HearingPeriodForm(forms.Form):
    period = forms.ChoiceField(choices=(("week", _("Week")), ("month", _("Month"))), required=False)
    start = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def range(self, *, today: dt.date) -> tuple[str, dt.date, dt.date]:
        """(period, first day, last day) of the chosen week (from Monday) or calendar month."""
        data = self.cleaned_data if self.is_valid() else {}
        period = data.get("period") or "week"
        day = data.get("start") or today
        if period == "month":
            first = day.replace(day=1)
            last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        else:
            first = day - dt.timedelta(days=day.weekday())
            last = first + dt.timedelta(days=6)
        return period, first, last


class MonthForm(forms.Form):
    month = forms.RegexField(regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False,
                             error_messages={"invalid": _("Write the month as YYYY-MM, such as 2026-03.")})

    def month_value(self, *, today: dt.date) -> str:
        if self.is_valid() and self.cleaned_data.get("month"):
            return self.cleaned_data["month"]
        return today.strftime("%Y-%m")


# --- actions on a case -------------------------------------------------------------------------

class SignAgreementForm(ActionForm):
    signed_on = forms.DateField(label=_("Agreement and power of attorney signed on"), widget=_DATE,
                                error_messages={"required": _("Enter the day the agreement was signed.")})

    def service_kwargs(self) -> dict[str, Any]:
        return {"signed_on": self.cleaned_data["signed_on"]}


class BeginForm(ActionForm):
    pass


class ProgressForm(StyledForm):
    """即时录入: one piece of work, entered when it is done. A hearing needs its time and court."""

    kind = forms.ChoiceField(label=_("Kind of work"), choices=ProgressKind.choices,
                             error_messages={"required": _("Choose what kind of work this was.")})
    occurred_on = forms.DateField(label=_("Date"), widget=_DATE,
                                  error_messages={"required": _("Enter the day the work was done.")})
    note = forms.CharField(label=_("What was done"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    hearing_at = forms.DateTimeField(label=_("Hearing time"), required=False, widget=_DATETIME,
                                     input_formats=_DATETIME_FORMATS)
    court = forms.CharField(label=_("Court or tribunal"), required=False, max_length=100)
    courtroom = forms.CharField(label=_("Courtroom"), required=False, max_length=60)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == ProgressKind.HEARING:
            if not data.get("hearing_at"):
                self.add_error("hearing_at", _("Enter the date and time of the hearing."))
            if not (data.get("court") or "").strip():
                self.add_error("court", _("Enter the court or tribunal that holds the hearing."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"kind": data["kind"], "occurred_on": data["occurred_on"], "note": data.get("note") or "",
                "hearing_at": data.get("hearing_at"), "court": (data.get("court") or "").strip(),
                "courtroom": (data.get("courtroom") or "").strip()}


class CloseForm(ActionForm):
    how_ended = forms.ChoiceField(label=_("How the matter ended"), choices=HowEnded.choices,
                                  error_messages={"required": _("Choose how the matter ended.")})
    ended_on = forms.DateField(label=_("Ended on"), widget=_DATE,
                               error_messages={"required": _("Enter the day the matter ended.")})
    outcome = forms.CharField(label=_("Outcome for the aided person"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=4000,
                              error_messages={"required": _("Describe what the aided person obtained.")})
    amount_recovered = forms.DecimalField(label=_("Economic loss recovered (yuan)"), **_MONEY)
    amount_awarded = forms.DecimalField(label=_("Amount awarded (yuan)"), **_MONEY)
    people_aided = forms.IntegerField(label=_("People aided"), min_value=1, initial=1)
    hearings = forms.IntegerField(label=_("Hearings attended"), min_value=0, max_value=999, initial=0)
    checklist = forms.MultipleChoiceField(label=_("Closing file checklist"), required=False,
                                          widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, checklist: list[tuple[str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checklist"].choices = list(checklist)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        ticked = set(data.get("checklist") or ())
        return {
            "how_ended": data["how_ended"], "ended_on": data["ended_on"], "outcome": data["outcome"],
            "amount_recovered": data.get("amount_recovered") or Decimal("0"),
            "amount_awarded": data.get("amount_awarded") or Decimal("0"),
            "people_aided": data.get("people_aided") or 1, "hearings": data.get("hearings") or 0,
            "checklist": {code: code in ticked for code, _label in self.fields["checklist"].choices},
        }


class ArchiveReviewForm(ActionForm):
    result = forms.ChoiceField(
        label=_("Result of the review"), widget=forms.RadioSelect,
        choices=(("pass", _("Pass and archive")), ("return", _("Return to the lawyer for correction"))),
        error_messages={"required": _("Choose whether the file passes.")})
    reasons = forms.CharField(label=_("Reasons"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Required when the file is returned: the lawyer sees them."))
    file_rating = forms.ChoiceField(label=_("File rating"), required=False, choices=_blank(FILE_RATINGS))
    archive_number = forms.CharField(label=_("Archive number"), required=False, max_length=40)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("result") == "return" and not (data.get("reasons") or "").strip():
            self.add_error("reasons", _("Say what the lawyer must correct."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"passed": data["result"] == "pass", "reasons": (data.get("reasons") or "").strip(),
                "file_rating": data.get("file_rating") or "",
                "archive_number": (data.get("archive_number") or "").strip()}


class ResubmitForm(ActionForm):
    note = forms.CharField(label=_("What was corrected"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def service_kwargs(self) -> dict[str, Any]:
        return {"note": self.cleaned_data.get("note") or ""}


class PaySubsidyForm(ActionForm):
    paid_on = forms.DateField(label=_("Paid on"), widget=_DATE,
                              error_messages={"required": _("Enter the day the subsidy was paid.")})

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("paid_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict[str, Any]:
        return {"paid_on": self.cleaned_data["paid_on"]}


class TerminateForm(ActionForm):
    ground = forms.ChoiceField(label=_("Ground for termination (Art. 48)"),
                               choices=[(code, format_lazy("{} {}", code, label)) for code, label in Termination.choices],
                               error_messages={"required": _("Choose the ground for terminating legal aid.")})
    report = forms.CharField(label=_("The lawyer's report"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=4000,
                             error_messages={"required": _("Enter the lawyer's report on the ground.")})

    def service_kwargs(self) -> dict[str, Any]:
        return {"ground": self.cleaned_data["ground"], "report": self.cleaned_data["report"]}


class TerminationObjectionForm(ActionForm):
    reasons = forms.CharField(label=_("What the aided person objects to"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": _("Enter the aided person's reasons.")})

    def service_kwargs(self) -> dict[str, Any]:
        return {"reasons": self.cleaned_data["reasons"]}


class TerminationObjectionDecideForm(ActionForm):
    outcome = forms.ChoiceField(
        label=_("Decision on the objection"), widget=forms.RadioSelect,
        choices=[("correct", _("Order the termination corrected: legal aid continues")),
                 ("uphold", _("Uphold the termination"))],
        error_messages={"required": _("Choose the decision on the objection.")})
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                              error_messages={"required": _("Give the reasons for the decision.")})

    def service_kwargs(self) -> dict[str, Any]:
        return {"correct": self.cleaned_data["outcome"] == "correct", "reasons": self.cleaned_data["reasons"]}
