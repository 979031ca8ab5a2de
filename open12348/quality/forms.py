"""Forms of the case quality screens. They check the shape of what was typed; the rules (which items
a check scores, who may record it, bands and weights of a scheme) live in the services and come back
as ApplicationError, which `put_service_error` puts next to the input it concerns."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from open12348.accounts.models import Membership, User
from open12348.accounts.scope import region_paths_for, restrict_to_regions
from open12348.core.errors import ApplicationError
from open12348.core.forms import apply_validation_error
from open12348.legalaid.choices import CaseCategory
from open12348.legalaid.forms import StyledForm
from open12348.legalaid.models import Case, ProgressEntry
from open12348.network.choices import InstitutionKind, RegionLevel
from open12348.network.models import Institution, Region

from .choices import ContactMode, Method, Organ, Vote
from .models import PanelSession, SchemeItem
from .schemes import DEFAULT_BANDS
from .services_review import LETTER_REPLY_DAYS

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_TEXT = {"widget": forms.Textarea(attrs={"rows": 3})}
# The levels of an item the scheme describes (the stored `levels` keys).
LEVELS = ("优秀", "合格", "不合格")
BAND_FIELDS = {"优秀": "band_excellent", "良好": "band_good", "合格": "band_qualified", "不合格": "band_unqualified"}
TRISTATE = (("yes", _("Yes")), ("no", _("No")), ("unknown", _("Not known")))
_TRISTATE_VALUE = {"yes": True, "no": False, "unknown": None, "": None}


def put_service_error(form: forms.Form, exc: ApplicationError, *, aliases: dict[str, str] | None = None) -> None:
    """A service's refusal at the input it concerns (`field`, renamed by `aliases`), else on top of
    the form. The form keeps everything that was typed."""
    name = (aliases or {}).get(exc.field or "", exc.field or "")
    if name and name in form.fields:
        apply_validation_error(form, ValidationError({name: [str(exc.message)]}))
    else:
        apply_validation_error(form, ValidationError(str(exc.message)))


class EvaluatorChoiceField(forms.ModelMultipleChoiceField):
    """Evaluators shown with their organisation(s), so a reviewer from another county can be chosen."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(User.objects.none(), *args, **kwargs)
        self.organisations: dict[int, str] = {}

    def load(self, memberships: Iterable[Membership]) -> None:
        organisations: dict[int, list[str]] = {}
        for membership in memberships:
            organisations.setdefault(membership.user_id, []).append(membership.institution.name)
        self.organisations = {pk: "、".join(dict.fromkeys(names)) for pk, names in organisations.items()}
        self.queryset = User.objects.filter(pk__in=list(organisations)).order_by("username", "id")

    def label_from_instance(self, obj: User) -> str:
        return f"{obj} · {self.organisations.get(obj.pk, '')}"


# --- samples -------------------------------------------------------------------------------------

class SampleForm(StyledForm):
    centres = forms.ModelMultipleChoiceField(
        label=_("Legal aid centres"), queryset=Institution.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one legal aid centre.")})
    period_start = forms.DateField(label=_("Closing file submitted from"), widget=_DATE)
    period_end = forms.DateField(label=_("Closing file submitted until"), widget=_DATE)
    rate = forms.DecimalField(label=_("Sampling rate"), max_digits=4, decimal_places=3, initial="0.1",
                              help_text=_("Share of each category's cases, above 0 and at most 1 (0.1 is 10%)."))
    min_per_lawyer = forms.IntegerField(label=_("Minimum per lawyer"), min_value=0, max_value=50, initial=1,
                                        help_text=_("Each lawyer with closed cases gets at least this many checked."))
    seed = forms.IntegerField(label=_("Seed (optional)"), required=False, min_value=0, max_value=2**62,
                              help_text=_("Give the seed of an earlier draw to repeat it; leave empty for a new "
                                          "random draw. The seed is recorded either way."))
    peer_review = forms.BooleanField(
        label=_("Peer review: each case is checked by an evaluator from another county (SF/T 0085)"),
        required=False)

    aliases = {"centre_ids": "centres"}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centres"].queryset = restrict_to_regions(
            Institution.objects.filter(kind=InstitutionKind.LEGAL_AID_CENTRE), user=user).order_by("name", "id")

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"centre_ids": [c.pk for c in data["centres"]], "period_start": data["period_start"],
                "period_end": data["period_end"], "rate": data["rate"], "min_per_lawyer": data["min_per_lawyer"],
                "seed": data.get("seed"), "peer_review": bool(data.get("peer_review"))}


class PeersForm(StyledForm):
    reviewers = EvaluatorChoiceField(label=_("Evaluators who will review"),
                                     error_messages={"required": _("Choose the evaluators who will review.")})

    def __init__(self, *args, memberships: Iterable[Membership], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].load(memberships)


# --- the four checks -----------------------------------------------------------------------------

class CheckForm(StyledForm):
    """One check of a case (Art. 59): a score per item the scheme version gives this method."""

    method = ""
    scheme = forms.IntegerField(widget=forms.HiddenInput, required=False)
    evaluated_on = forms.DateField(label=_("Date of the check"), widget=_DATE, required=False)
    comments = forms.CharField(label=_("Comments"), required=False, max_length=4000, **_TEXT)

    def __init__(self, *args, items: Iterable[SchemeItem], **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("evaluated_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.items = [item for item in items if self.method in item.methods]
        for item in self.items:
            field = forms.IntegerField(
                label=item.title, min_value=0, max_value=100,
                help_text=_("weight %(weight)s") % {"weight": item.weight},
                error_messages={"required": _("Score this item from 0 to 100.")})
            field.widget.attrs.update({"class": "form-control form-control-sm", "inputmode": "numeric"})
            self.fields[f"score_{item.code}"] = field

    @property
    def score_fields(self) -> list[forms.BoundField]:
        return [self[f"score_{item.code}"] for item in self.items]

    @property
    def other_fields(self) -> list[forms.BoundField]:
        return [bound for bound in self if not bound.name.startswith("score_") and not bound.is_hidden]

    def scores(self) -> dict[str, int]:
        return {item.code: self.cleaned_data[f"score_{item.code}"] for item in self.items}

    def common_kwargs(self) -> dict[str, Any]:
        return {"scores": self.scores(), "evaluated_on": self.cleaned_data.get("evaluated_on"),
                "comments": self.cleaned_data.get("comments", "")}

    def service_kwargs(self) -> dict[str, Any]:
        return {"method": self.method, **self.common_kwargs()}


class FileReviewForm(CheckForm):
    method = Method.FILE_REVIEW


class HearingCheckForm(CheckForm):
    method = Method.HEARING
    hearing = forms.ModelChoiceField(label=_("Hearing observed"), queryset=ProgressEntry.objects.none(),
                                     error_messages={"required": _("Choose the hearing that was observed.")})
    field_order = ["hearing", "evaluated_on", "comments"]

    def __init__(self, *args, hearings: QuerySet[ProgressEntry], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hearing"].queryset = hearings
        self.fields["hearing"].label_from_instance = lambda entry: (
            f"{timezone.localtime(entry.hearing_at):%Y-%m-%d %H:%M} · {entry.court}" if entry.hearing_at
            else f"{entry.occurred_on:%Y-%m-%d} · {entry.court}")

    def service_kwargs(self) -> dict[str, Any]:
        return {**super().service_kwargs(), "hearing": self.cleaned_data["hearing"]}


def _tristate(label) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=TRISTATE, widget=forms.RadioSelect, initial="unknown",
                             required=False)


class FollowUpForm(CheckForm):
    method = Method.FOLLOW_UP
    contact_mode = forms.ChoiceField(label=_("How the aided person was reached"), choices=ContactMode.choices,
                                     widget=forms.RadioSelect,
                                     error_messages={"required": _("Say whether the aided person was telephoned "
                                                                   "or visited.")})
    satisfaction = forms.TypedChoiceField(
        label=_("Satisfaction (1 very dissatisfied – 5 very satisfied)"), coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)], widget=forms.RadioSelect,
        error_messages={"required": _("Record the aided person's satisfaction from 1 to 5.")})
    lawyer_met_client = _tristate(_("Did the lawyer meet you?"))
    risks_explained = _tristate(_("Did the lawyer explain the risks of the case?"))
    money_asked = _tristate(_("Did the lawyer ask you for money or gifts?"))
    field_order = ["contact_mode", "satisfaction", "lawyer_met_client", "risks_explained", "money_asked",
                   "evaluated_on", "comments"]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {**super().service_kwargs(), "contact_mode": data["contact_mode"], "satisfaction": data["satisfaction"],
                **{name: _TRISTATE_VALUE[data.get(name) or ""]
                   for name in ("lawyer_met_client", "risks_explained", "money_asked")}}


class ReplyForm(CheckForm):
    """The organ's reply to a letter, recorded as the case's opinion check."""

    method = Method.OPINION
    scheme = None  # the reply is scored against the current version (services_review.opinion_letter_reply)
    organ_reply = forms.CharField(label=_("The organ's reply"), max_length=4000, **_TEXT,
                                  error_messages={"required": _("Record the reply that was received.")})
    field_order = ["organ_reply", "evaluated_on", "comments"]

    def service_kwargs(self) -> dict[str, Any]:
        return {"organ_reply": self.cleaned_data["organ_reply"], **self.common_kwargs()}


CHECK_FORMS: dict[str, type[CheckForm]] = {
    Method.FILE_REVIEW: FileReviewForm, Method.HEARING: HearingCheckForm, Method.FOLLOW_UP: FollowUpForm}


class LetterForm(StyledForm):
    organ = forms.ChoiceField(label=_("Organ asked"), choices=[("", "—"), *Organ.choices],
                              error_messages={"required": _("Choose the court, procuratorate or police to ask.")})
    organ_name = forms.CharField(label=_("Name of the organ, as on its seal"), max_length=200,
                                 error_messages={"required": _("Give the name of the organ, as on its seal.")})
    reply_days = forms.IntegerField(label=_("Reply requested within (working days)"), min_value=1, max_value=60,
                                    initial=LETTER_REPLY_DAYS)

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ComplaintForm(StyledForm):
    complaint = forms.CharField(label=_("The complaint"), max_length=4000, **_TEXT,
                                error_messages={"required": _("Write down the complaint.")})
    correction = forms.CharField(label=_("What the lawyer must correct"), max_length=4000, **_TEXT,
                                 error_messages={"required": _("Say what must be corrected.")})
    deadline = forms.DateField(label=_("Deadline for the correction"), widget=_DATE, required=False,
                               help_text=_("Leave empty for 15 working days."))

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ProposeCaseForm(StyledForm):
    """From the case's page: which open panel to propose it to, and why."""

    session = forms.ModelChoiceField(label=_("Review panel"), queryset=PanelSession.objects.none(),
                                     error_messages={"required": _("Choose the review panel.")})
    reason = forms.CharField(label=_("Why the case is proposed"), max_length=4000, **_TEXT,
                             error_messages={"required": _("Say why the case is proposed.")})

    def __init__(self, *args, panels: QuerySet[PanelSession], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = panels
        self.fields["session"].label_from_instance = (
            lambda session: f"{session.title} · {session.region.name} · {session.held_on:%Y-%m-%d}")


# --- tickets -------------------------------------------------------------------------------------

TICKET_FILTERS = (("open", _("Still open")), ("overdue", _("Overdue")), ("closed", _("Closed")), ("all", _("All")))


class TicketFilterForm(forms.Form):
    status = forms.ChoiceField(choices=TICKET_FILTERS, required=False)

    def status_value(self) -> str:
        value = self.cleaned_data.get("status") if self.is_valid() else ""
        return value or "open"


class TicketCloseForm(StyledForm):
    evidence = forms.CharField(label=_("Evidence that the problem was corrected"), max_length=4000, **_TEXT,
                               error_messages={"required": _("Describe the evidence that the problem was "
                                                             "corrected.")})


# --- schemes ------------------------------------------------------------------------------------

class SchemeForm(StyledForm):
    """A new version of a scheme: its title, when it takes effect and the lowest score of each grade."""

    title = forms.CharField(label=_("Title"), max_length=200,
                            error_messages={"required": _("Give the scheme a title.")})
    effective_from = forms.DateField(label=_("In force from"), widget=_DATE)
    band_excellent = forms.IntegerField(label=_("优秀 from"), min_value=0, max_value=100)
    band_good = forms.IntegerField(label=_("良好 from"), min_value=0, max_value=100)
    band_qualified = forms.IntegerField(label=_("合格 from"), min_value=0, max_value=100)
    band_unqualified = forms.IntegerField(label=_("不合格 from"), min_value=0, max_value=100)

    @property
    def band_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in BAND_FIELDS.values()]

    def bands(self) -> list[dict]:
        return [{"grade": grade, "min": self.cleaned_data[name]} for grade, name in BAND_FIELDS.items()]


def scheme_initial(scheme) -> tuple[dict, list[dict]]:
    """The form's and the item table's first values: the current version's."""
    mins = {band["grade"]: band["min"] for band in (scheme.bands or DEFAULT_BANDS)}
    initial = {"title": scheme.title, "effective_from": timezone.localdate(),
               **{name: mins.get(grade) for grade, name in BAND_FIELDS.items()}}
    items = [{"code": item.code, "title": item.title, "weight": item.weight, "methods": list(item.methods),
              **{f"level_{n}": (item.levels or {}).get(level, "") for n, level in enumerate(LEVELS)}}
             for item in scheme.items.all()]
    return initial, items


class SchemeItemForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40, error_messages={
        "required": _("Give the item a code."),
        "invalid": _("Use letters, digits and underscores for the code.")})
    title = forms.CharField(label=_("Title"), max_length=100, error_messages={"required": _("Give the item a title.")})
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100)
    methods = forms.MultipleChoiceField(
        label=_("Checked by"), choices=Method.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one check that scores this item.")})
    level_0 = forms.CharField(label=_("优秀 means"), max_length=200, required=False)
    level_1 = forms.CharField(label=_("合格 means"), max_length=200, required=False)
    level_2 = forms.CharField(label=_("不合格 means"), max_length=200, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not isinstance(field.widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                field.widget.attrs["class"] = "form-control form-control-sm"
            field.widget.attrs["aria-label"] = str(field.label)
            if name == "weight":
                field.widget.attrs["inputmode"] = "numeric"

    def item(self) -> dict:
        data = self.cleaned_data
        levels = {level: data[f"level_{n}"].strip() for n, level in enumerate(LEVELS) if data.get(f"level_{n}")}
        return {"code": data["code"], "title": data["title"].strip(), "weight": data["weight"],
                "methods": list(data["methods"]), "levels": levels}


SchemeItemFormSet = forms.formset_factory(SchemeItemForm, extra=3, can_delete=True, max_num=40, absolute_max=60)


# --- panels and exemplary cases ----------------------------------------------------------------

PANEL_LEVELS = (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY)


def panel_regions(*, user) -> QuerySet[Region]:
    """Regions a panel may sit for: the user's own and the counties (or cities) inside them."""
    regions = Region.objects.filter(level__in=PANEL_LEVELS)
    paths = region_paths_for(user)
    if paths is not None:
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(path__startswith=path)
        regions = regions.filter(condition)
    return regions.order_by("path")


class PanelForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200,
                            error_messages={"required": _("Give the panel session a title.")})
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(),
                                    error_messages={"required": _("Choose a region you work in.")})
    held_on = forms.DateField(label=_("Held on"), widget=_DATE)
    members = EvaluatorChoiceField(label=_("Members"), help_text=_("At least three evaluators."),
                                   error_messages={"required": _("A review panel needs at least three members.")})

    def __init__(self, *args, user, memberships: Iterable[Membership], **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = panel_regions(user=user)
        self.fields["members"].load(memberships)


class VoteForm(StyledForm):
    vote = forms.ChoiceField(label=_("Your vote"), choices=Vote.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("Vote for, against or abstain.")})


class ProposeNumberForm(StyledForm):
    """From the panel's page: a case of the panel's region (and the user's), by its number."""

    number = forms.CharField(label=_("Case number"), max_length=40,
                             error_messages={"required": _("Enter the case number.")})
    reason = forms.CharField(label=_("Why the case is proposed"), max_length=4000, **_TEXT,
                             error_messages={"required": _("Say why the case is proposed.")})

    def __init__(self, *args, session: PanelSession, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.session, self.user = session, user

    def clean_number(self) -> Case:
        cases = Case.objects.filter(number=self.cleaned_data["number"].strip(),
                                    region__path__startswith=self.session.region.path).select_related("region")
        case = restrict_to_regions(cases, user=self.user).first()
        if case is None:
            raise ValidationError(_("No case with this number in this panel's region."), code="case_unknown")
        return case


class ExemplaryForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200, error_messages={"required": _("Give the case a title.")})
    summary = forms.CharField(label=_("Summary (anonymised)"), max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 10}),
                              error_messages={"required": _("Write the summary.")})
    significance = forms.CharField(label=_("What makes it exemplary"), max_length=4000, required=False, **_TEXT)
    publish = forms.BooleanField(label=_("Published in the public library"), required=False)


class LibraryFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("All categories")), *CaseCategory.choices])

    def category_value(self) -> str:
        return (self.cleaned_data.get("category") or "") if self.is_valid() else ""
