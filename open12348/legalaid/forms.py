"""Staff console forms for legal aid: the queue filters, the one intake form for every channel,
and the small forms of the review actions.

Forms check the shape of the input (400-type errors). The rules live in services.py and come
back as ApplicationError, whose dotted `field` (`applicant.id_number`) `form_field_for` turns
into this module's field name (`applicant_id_number`), so the message lands next to the input.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from open12348.accounts.scope import region_paths_for
from open12348.core.errors import ApplicationError
from open12348.network.choices import InstitutionKind, RegionLevel
from open12348.network.models import Institution, Region

from .choices import (
    AidForm,
    ApplicationStatus,
    CaseCategory,
    Channel,
    Decision,
    Education,
    Health,
    NotifyingOrgan,
    Stage,
)
from .eligibility import MATTER_INFO, Group, Matter, Subtype

# Age and sex groups are worked out from the ID number or birth date; the clerk does not tick them.
DERIVED_GROUPS = frozenset({Group.MINOR.value, Group.ELDERLY.value, Group.WOMAN.value})

# Error field names the services and the engine use that are not simply "a.b" → "a_b".
_FIELD_ALIASES = {"subtype": "matter_subtype", "region": "centre", "date": None}

_MATTER_GROUPS = (
    (_("Criminal: notified by the court, procuratorate or police (Art. 25, 28)"), ("CR-N-", "CM-N-")),
    (_("Criminal: on application (Art. 24, 29)"), ("CR-A-",)),
    (_("Civil and administrative: economic hardship required (Art. 31)"), ("CV-",)),
    (_("No economic condition (Art. 32)"), ("NM-",)),
    (_("Petition or retrial (Art. 33)"), ("PET-",)),
)


def matter_choices() -> list:
    """The matter codes grouped as the law lists them, each shown with its code."""
    choices: list = [("", _("Choose the matter"))]
    for label, prefixes in _MATTER_GROUPS:
        options = [(code, f"{code} {name}") for code, name in Matter.choices if code.startswith(prefixes)]
        choices.append((label, options))
    return choices


def form_field_for(form: forms.Form, error_field: str | None) -> str | None:
    """The form field an error about `error_field` belongs to, or None for the whole form."""
    if not error_field:
        return None
    name = _FIELD_ALIASES.get(error_field, error_field.replace(".", "_"))
    return name if name in form.fields else None


def apply_application_error(form: forms.Form, exc: ApplicationError) -> None:
    """Put a service's refusal next to the input it concerns; the form keeps what was typed.

    The engine's input error lists every problem at once; each goes to its own field.
    """
    problems = getattr(exc, "errors", None) or ((exc.field, exc.code, exc.message),)
    for field, _code, message in problems:
        form.add_error(form_field_for(form, field), str(message))


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, so templates can render fields in a loop."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def _blank(choices, label=None) -> list:
    return [("", label or "—"), *choices]


# --- the queue -----------------------------------------------------------------------------

class QueueFilterForm(StyledForm):
    """The queue's filters. Invalid input is ignored rather than shown as an error page."""

    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=_blank(ApplicationStatus.choices, _("Any status")))
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=_blank(Channel.choices, _("Any channel")))
    matter = forms.ChoiceField(label=_("Matter"), required=False)
    q = forms.CharField(label=_("Number, applicant or cause"), required=False, max_length=50)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = matter_choices()
        choices[0] = ("", _("Any matter"))
        self.fields["matter"].choices = choices

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


# --- intake --------------------------------------------------------------------------------

def centres_for(*, user) -> QuerySet[Institution]:
    """Legal aid centres in the user's data scope (the region subtree of their organisations)."""
    qs = Institution.objects.filter(kind=InstitutionKind.LEGAL_AID_CENTRE).select_related("region")
    paths = region_paths_for(user)
    if paths is None:
        return qs.order_by("region__path", "name")
    if not paths:
        return qs.none()
    condition = Q()
    for path in paths:
        condition |= Q(region__path__startswith=path)
    return qs.filter(condition).order_by("region__path", "name")


def townships_for(*, user) -> QuerySet[Region]:
    """The townships and streets in the user's data scope, by code (the residence question's choices)."""
    qs = Region.objects.filter(level=RegionLevel.TOWNSHIP).select_related("parent").order_by("path")
    paths = region_paths_for(user)
    if paths is None:
        return qs
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return qs.filter(condition)


def own_centre(*, user) -> Institution | None:
    """The legal aid centre the user works at, if they belong to one."""
    membership = (user.memberships.filter(is_active=True, institution__kind=InstitutionKind.LEGAL_AID_CENTRE)
                  .select_related("institution").order_by("id").first())
    return membership.institution if membership else None


class TownshipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.parent.name} {obj.name}" if obj.parent_id else obj.name


class CentreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Institution) -> str:
        return f"{obj.name} ({obj.region.name})"


_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def _text(label, max_length=100, **kwargs):
    return forms.CharField(label=label, max_length=max_length, required=False, **kwargs)


class ApplicationForm(StyledForm):
    """One form for every channel. Sections: channel, centre, applicant, agent, matter, household."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    # Channel, with what each one needs.
    channel = forms.ChoiceField(label=_("Channel"), choices=_blank(Channel.choices))
    channel_detail = _text(_("Received through (workstation, facility or organ)"), 200,
                           help_text=_("The partner workstation, the place of detention or the notifying organ."))
    facility_received_at = forms.DateTimeField(
        label=_("Received by the facility or duty lawyer at"), required=False, widget=_DATETIME,
        input_formats=_DATETIME_FORMATS,
        help_text=_("Starts the 24-hour forwarding clock (Legal Aid Law Art. 39)."))
    notifying_organ = forms.ChoiceField(label=_("Notifying organ"), required=False,
                                        choices=_blank(NotifyingOrgan.choices))
    notice_number = _text(_("Notification document number"), 60)

    centre = CentreChoiceField(label=_("Legal aid centre"), queryset=Institution.objects.none())

    # Applicant.
    applicant_name = forms.CharField(label=_("Full name"), max_length=50)
    applicant_id_number = _text(_("ID number"), 18, help_text=_("18 digits; the last may be X."))
    applicant_sex = forms.ChoiceField(label=_("Sex"), required=False,
                                      choices=_blank([("M", _("Male")), ("F", _("Female"))]))
    applicant_birth_date = forms.DateField(label=_("Birth date"), required=False, widget=_DATE)
    applicant_ethnicity = _text(_("Ethnicity"), 20)
    applicant_phone = _text(_("Phone"), 20)
    applicant_address = _text(_("Address"), 200)
    residence = TownshipChoiceField(
        label=_("Township or street of residence"), required=False, queryset=Region.objects.none(),
        empty_label=_("Not known"),
        help_text=_("Inside the centre's area; the dashboard counts the application in this township."))
    applicant_household_registration = _text(_("Household registration"), 200)
    applicant_occupation = _text(_("Occupation"), 60)
    applicant_employer = _text(_("Employer"), 100)
    applicant_education = forms.ChoiceField(label=_("Education"), required=False, choices=_blank(Education.choices))
    applicant_health = forms.ChoiceField(label=_("Health"), required=False, choices=_blank(Health.choices))
    applicant_health_details = _text(_("Health details (disability kind and grade, illness)"), 200)
    applicant_groups = forms.MultipleChoiceField(
        label=_("Groups the applicant belongs to"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(code, label) for code, label in Group.choices if code not in DERIVED_GROUPS],
        help_text=_("Minor, elderly and woman are worked out from the ID number or birth date and sex."))

    # Agent applying for the applicant (Art. 40).
    agent_name = _text(_("Agent's name"), 50)
    agent_id_number = _text(_("Agent's ID number"), 18)
    agent_phone = _text(_("Agent's phone"), 20)
    agent_relationship = _text(_("Agent's relationship to the applicant"), 30)

    # The matter.
    matter = forms.ChoiceField(label=_("Matter"))
    matter_subtype = _text(_("Sub-type"), 40, help_text=_("Needed for wages or labour relation (CV-05) and for "
                                                          "the kind of accident (CV-07)."))
    category = forms.ChoiceField(label=_("Case category"), required=False,
                                 choices=_blank(CaseCategory.choices, _("The matter's usual category")))
    aid_form = forms.ChoiceField(label=_("Form of legal aid requested"), choices=_blank(AidForm.choices))
    stage = forms.ChoiceField(label=_("Procedural stage"), required=False, choices=_blank(Stage.choices))
    cause = _text(_("Cause of action or charge"), 100)
    opposing_party = _text(_("Opposing party"), 200)
    handling_organ = _text(_("Organ handling the case"), 200)
    facts = forms.CharField(label=_("Facts of the case"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    amount_claimed = forms.DecimalField(label=_("Amount claimed (yuan)"), required=False, min_value=0,
                                        max_digits=14, decimal_places=2)
    people_count = forms.IntegerField(label=_("Number of people aided"), min_value=1, initial=1)
    retrial_ordered = forms.BooleanField(
        label=_("A court has ordered a retrial, or the procuratorate has lodged a protest (Art. 33)"), required=False)
    other_counsel = forms.BooleanField(label=_("The applicant already has a lawyer or agent for this matter"),
                                       required=False)

    # Household, or the personal integrity commitment.
    household_members = forms.IntegerField(label=_("Household members"), required=False, min_value=1, max_value=100)
    household_monthly_income = forms.DecimalField(label=_("Household monthly income (yuan)"), required=False,
                                                  min_value=0, max_digits=12, decimal_places=2)
    household_income_sources = forms.CharField(label=_("Income by source"), required=False,
                                               widget=forms.Textarea(attrs={"rows": 2}))
    household_assets = forms.CharField(label=_("Assets (property, vehicles, savings)"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    integrity_commitment = forms.BooleanField(
        label=_("The applicant signed a personal integrity commitment about their economic situation"),
        required=False)

    SECTIONS = {
        "channel": ("channel", "channel_detail", "facility_received_at", "notifying_organ", "notice_number"),
        "applicant": ("applicant_name", "applicant_id_number", "applicant_sex", "applicant_birth_date",
                      "applicant_ethnicity", "applicant_phone", "applicant_address", "residence",
                      "applicant_household_registration", "applicant_occupation", "applicant_employer",
                      "applicant_education", "applicant_health", "applicant_health_details", "applicant_groups"),
        "agent": ("agent_name", "agent_id_number", "agent_phone", "agent_relationship"),
        "matter": ("matter", "matter_subtype", "category", "aid_form", "stage", "cause", "opposing_party",
                   "handling_organ", "facts", "amount_claimed", "people_count", "retrial_ordered", "other_counsel"),
        "household": ("household_members", "household_monthly_income", "household_income_sources",
                      "household_assets", "integrity_commitment"),
    }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres_for(user=user)
        self.fields["residence"].queryset = townships_for(user=user)
        self.fields["matter"].choices = matter_choices()
        self.fields["matter_subtype"].widget.attrs["list"] = "subtype-options"
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
            centre = own_centre(user=user)
            if centre is not None:
                self.initial.setdefault("centre", centre.pk)

    @property
    def sections(self) -> dict[str, list[forms.BoundField]]:
        return {name: [self[f] for f in fields] for name, fields in self.SECTIONS.items()}

    @property
    def subtype_choices(self):
        return Subtype.choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        members, income = data.get("household_members"), data.get("household_monthly_income")
        if members is not None and income is None and "household_monthly_income" not in self.errors:
            self.add_error("household_monthly_income", _("Enter the household's monthly income too."))
        if income is not None and members is None and "household_members" not in self.errors:
            self.add_error("household_members", _("Enter how many people live in the household."))
        if not data.get("agent_name") and (data.get("agent_id_number") or data.get("agent_phone")
                                           or data.get("agent_relationship")):
            self.add_error("agent_name", _("Enter the agent's name, or leave the agent section empty."))
        return data

    # What the services take.

    def _person(self, prefix: str, fields: tuple[str, ...]) -> dict[str, Any]:
        data = self.cleaned_data
        return {f: data.get(f"{prefix}_{f}") for f in fields}

    def applicant_data(self) -> dict[str, Any]:
        person = self._person("applicant", (
            "name", "id_number", "sex", "birth_date", "ethnicity", "phone", "address", "household_registration",
            "occupation", "employer", "education", "health", "health_details"))
        person["groups"] = list(self.cleaned_data.get("applicant_groups") or [])
        return person

    def agent_data(self) -> dict[str, Any] | None:
        if not self.cleaned_data.get("agent_name"):
            return None
        return self._person("agent", ("name", "id_number", "phone"))

    def details_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        details = {f: data.get(f) for f in ("matter", "matter_subtype", "category", "aid_form", "stage", "cause",
                                             "opposing_party", "handling_organ", "facts", "amount_claimed",
                                             "people_count", "retrial_ordered", "other_counsel")}
        if not details["category"] and details["matter"] in MATTER_INFO:
            details["category"] = MATTER_INFO[details["matter"]].category
        details["matter_subtype"] = (details["matter_subtype"] or "").strip()
        return details

    def household_data(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if data.get("household_members") is None:
            return None
        household = {"members": data["household_members"], "monthly_income": str(data["household_monthly_income"])}
        for key in ("income_sources", "assets"):
            if (data.get(f"household_{key}") or "").strip():
                household[key] = data[f"household_{key}"].strip()
        return household

    def service_kwargs(self) -> dict[str, Any]:
        """Everything services.application_create takes, except the actor."""
        data = self.cleaned_data
        return {
            "centre": data["centre"],
            "channel": data["channel"],
            "applicant": self.applicant_data(),
            "details": self.details_data(),
            "household": self.household_data(),
            "integrity_commitment": bool(data.get("integrity_commitment")),
            "agent": self.agent_data(),
            "agent_relationship": data.get("agent_relationship") or "",
            "channel_detail": data.get("channel_detail") or "",
            "notifying_organ": data.get("notifying_organ") or "",
            "notice_number": data.get("notice_number") or "",
            "facility_received_at": data.get("facility_received_at"),
            "idempotency_key": data["idempotency_key"],
            "residence": data.get("residence"),
        }


# --- review actions ------------------------------------------------------------------------

class ActionForm(StyledForm):
    """Every action form carries the version the user saw; the service refuses a stale one."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def service_kwargs(self) -> dict[str, Any]:
        return {}


class ReviewStartForm(ActionForm):
    pass


class SupplementRequestForm(ActionForm):
    items = forms.CharField(label=_("Missing materials, one per line"), widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("List everything that is missing at once: the applicant is told only once."))
    note = forms.CharField(label=_("Note to the applicant"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def service_kwargs(self) -> dict[str, Any]:
        items = [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]
        return {"items": items, "note": self.cleaned_data.get("note") or ""}


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def service_kwargs(self) -> dict[str, Any]:
        return {"note": self.cleaned_data.get("note") or ""}


class DecisionForm(ActionForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices,
                                 widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Required for a refusal: the applicant receives them in writing."))
    override_reason = forms.CharField(
        label=_("Why you decide differently from the eligibility check"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}))

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"decision": data["decision"], "reasons": data.get("reasons") or "",
                "override_reason": data.get("override_reason") or ""}


class AdvanceAidForm(ActionForm):
    reason = forms.CharField(label=_("Why the aid cannot wait"), widget=forms.Textarea(attrs={"rows": 2}))
    limitation_deadline = forms.DateField(label=_("Limitation period or procedural deadline"), required=False,
                                          widget=_DATE)
    urgent_measure = forms.BooleanField(label=_("An urgent measure is needed (preservation, advance execution)"),
                                        required=False)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"reason": data["reason"], "limitation_deadline": data.get("limitation_deadline"),
                "urgent_measure": bool(data.get("urgent_measure"))}


class RegulariseForm(ActionForm):
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def service_kwargs(self) -> dict[str, Any]:
        return {"reasons": self.cleaned_data.get("reasons") or ""}


class ObjectionFileForm(ActionForm):
    reasons = forms.CharField(label=_("What the applicant objects to"), widget=forms.Textarea(attrs={"rows": 3}))

    def service_kwargs(self) -> dict[str, Any]:
        return {"reasons": self.cleaned_data["reasons"]}


class ObjectionDecideForm(ActionForm):
    outcome = forms.ChoiceField(
        label=_("Decision on the objection"), widget=forms.RadioSelect,
        choices=[("correct", _("Order the decision corrected: grant legal aid")),
                 ("uphold", _("Uphold the refusal"))])
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))
