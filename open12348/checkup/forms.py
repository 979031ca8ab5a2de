"""Forms of the check-up screens. The services check everything again; the forms keep what was typed
and show a service's refusal at the field it concerns."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from open12348.accounts.models import User
from open12348.accounts.scope import region_paths_for
from open12348.core.errors import ApplicationError
from open12348.legalaid.forms import StyledForm
from open12348.network.choices import InstitutionKind, PractitionerKind, RegionLevel
from open12348.network.models import Institution, Practitioner, Region

from .choices import CheckupSector, EnterpriseSize, FollowUpResult, ProblemKind
from .models import Campaign

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # the value a date input understands
TEAM_LIMIT = 400


def put_service_error(form: forms.Form, exc: ApplicationError) -> None:
    """A service's refusal at the input it concerns, else on top of the form."""
    name = exc.field or ""
    if name in form.fields:
        form.add_error(name, ValidationError(str(exc.message)))
    else:
        form.add_error(None, ValidationError(str(exc.message)))


def _scope_q(user, field: str = "region__path") -> Q:
    paths = region_paths_for(user)
    if paths is None:
        return Q()
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


class CampaignForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    organiser = forms.ModelChoiceField(label=_("Organiser"), queryset=Institution.objects.none())
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    goal_enterprises = forms.IntegerField(label=_("Enterprises to visit"), min_value=0, initial=0)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Institution.objects.filter(
            _scope_q(user), kind__in=[InstitutionKind.JUDICIAL_BUREAU, InstitutionKind.LEGAL_AID_CENTRE,
                                      InstitutionKind.JUDICIAL_OFFICE]).select_related("region").order_by("region__path",
                                                                                                         "name")
        self.fields["region"].queryset = Region.objects.filter(
            _scope_q(user, "path"), level__in=[RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP]
        ).order_by("path")


class VisitForm(StyledForm):
    """The enterprise, the visit, and the check-list (one switch, note and count per line)."""

    enterprise_name = forms.CharField(label=_("Enterprise name"), max_length=120)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=24,
                                  widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false",
                                                                "autocomplete": "off"}))
    sector = forms.ChoiceField(label=_("Sector"), choices=CheckupSector.choices)
    size = forms.ChoiceField(label=_("Size"), choices=EnterpriseSize.choices)
    region = forms.ModelChoiceField(label=_("Township or street"), queryset=Region.objects.none())
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "tel"}))
    planned_on = forms.DateField(label=_("Planned for"), widget=DATE, required=False,
                                 help_text=_("Empty for a visit that was not planned ahead."))
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE, required=False,
                                 help_text=_("Leave empty while the visit is only planned."))
    team_users = forms.ModelMultipleChoiceField(label=_("Team (staff)"), queryset=User.objects.none(),
                                                required=False, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    team_practitioners = forms.ModelMultipleChoiceField(label=_("Team (lawyers and others)"),
                                                        queryset=Practitioner.objects.none(), required=False,
                                                        widget=forms.SelectMultiple(attrs={"size": 6}))
    workers_interviewed = forms.IntegerField(label=_("Workers interviewed"), min_value=0, initial=0,
                                             widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    opinion = forms.CharField(label=_("Legal opinion"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    recommendations = forms.CharField(label=_("Recommendations"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, campaign: Campaign, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        area = campaign.region.path
        self.fields["region"].queryset = Region.objects.filter(
            _scope_q(user, "path"), path__startswith=area, level=RegionLevel.TOWNSHIP).order_by("path")
        # The team comes from the campaign's area and the user's own county (a township's staff pick
        # colleagues and lawyers of their county).
        near = Q(region__path__startswith=area)
        for path in region_paths_for(user) or []:
            parts = [x for x in path.split("/") if x][:3]
            near |= Q(region__path__startswith="".join(f"{x}/" for x in parts))
        institutions = Institution.objects.filter(near)
        user_ids = list(User.objects.filter(
            is_active=True, memberships__is_active=True, memberships__institution__in=institutions.filter(
                kind__in=[InstitutionKind.JUDICIAL_BUREAU, InstitutionKind.LEGAL_AID_CENTRE,
                          InstitutionKind.JUDICIAL_OFFICE])).order_by("real_name", "id").values_list(
            "id", flat=True).distinct()[:TEAM_LIMIT])
        self.fields["team_users"].queryset = User.objects.filter(pk__in=user_ids).order_by("real_name", "id")
        self.fields["team_users"].label_from_instance = lambda u: u.real_name or u.username
        lawyer_ids = list(Practitioner.objects.filter(kind=PractitionerKind.LAWYER, institution__in=institutions)
                          .order_by("name", "id").values_list("id", flat=True)[:TEAM_LIMIT])
        self.fields["team_practitioners"].queryset = Practitioner.objects.filter(pk__in=lawyer_ids).select_related(
            "institution").order_by("name", "id")
        self.fields["team_practitioners"].label_from_instance = (
            lambda p: f"{p.name}（{p.institution.name}）" if p.institution_id else p.name)
        self.checklist = []
        for kind, label in ProblemKind.choices:
            self.fields[f"{kind}-found"] = forms.BooleanField(label=label, required=False)
            self.fields[f"{kind}-workers_affected"] = forms.IntegerField(
                label=_("Workers affected"), min_value=0, required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control"}))
            self.fields[f"{kind}-note"] = forms.CharField(
                label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
            self.fields[f"{kind}-found"].widget.attrs["class"] = "form-check-input"
            self.fields[f"{kind}-found"].widget.attrs["role"] = "switch"
            self.checklist.append(kind)

    def checklist_rows(self):
        return [{"kind": kind, "found": self[f"{kind}-found"], "affected": self[f"{kind}-workers_affected"],
                 "note": self[f"{kind}-note"]} for kind in self.checklist]

    def clean_credit_code(self) -> str:
        return "".join(self.cleaned_data["credit_code"].split()).upper()

    def findings(self) -> dict:
        data = self.cleaned_data
        return {kind: {"found": data.get(f"{kind}-found", False), "note": data.get(f"{kind}-note", ""),
                       "workers_affected": data.get(f"{kind}-workers_affected") or 0} for kind in self.checklist}

    def enterprise(self) -> dict:
        data = self.cleaned_data
        return {"name": data["enterprise_name"], "credit_code": data["credit_code"], "sector": data["sector"],
                "size": data["size"], "region": data["region"], "address": data["address"],
                "contact_name": data["contact_name"], "contact_phone": data["contact_phone"]}

    @staticmethod
    def initial_for(visit) -> dict:
        e = visit.enterprise
        initial = {"enterprise_name": e.name, "credit_code": e.credit_code, "sector": e.sector, "size": e.size,
                   "region": e.region_id, "address": e.address, "contact_name": e.contact_name,
                   "contact_phone": e.contact_phone, "planned_on": visit.planned_on, "visited_on": visit.visited_on,
                   "team_users": list(visit.team_users.values_list("pk", flat=True)),
                   "team_practitioners": list(visit.team_practitioners.values_list("pk", flat=True)),
                   "workers_interviewed": visit.workers_interviewed, "opinion": visit.opinion,
                   "recommendations": visit.recommendations}
        for f in visit.findings.all():
            initial.update({f"{f.kind}-found": f.found, f"{f.kind}-note": f.note,
                            f"{f.kind}-workers_affected": f.workers_affected})
        return initial


class WorkerForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=50)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False,
                                help_text=_("Only if the worker wants legal aid; otherwise leave it empty."))
    consent_given = forms.BooleanField(label=_("The worker agrees to be named and contacted"), required=False)
    consent_note = forms.CharField(label=_("How consent was given"), max_length=200, required=False,
                                   help_text=_("For example: orally, in front of two team members."))
    problems = forms.MultipleChoiceField(label=_("Problems concerning the worker"), choices=ProblemKind.choices,
                                         required=False, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    claim = forms.CharField(label=_("What the worker is owed or asks for"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    amount_owed = forms.DecimalField(label=_("Amount owed (yuan)"), min_value=0, decimal_places=2, required=False)


class ReportForm(StyledForm):
    issued_on = forms.DateField(label=_("Report issued on"), widget=DATE)
    follow_up_due = forms.DateField(label=_("Follow-up visit planned for"), widget=DATE)

    @classmethod
    def for_today(cls, today: dt.date) -> ReportForm:
        return cls(initial={"issued_on": today, "follow_up_due": today + dt.timedelta(days=30)})


class FollowUpForm(StyledForm):
    followed_up_on = forms.DateField(label=_("Followed up on"), widget=DATE)
    result = forms.ChoiceField(label=_("Result"), choices=FollowUpResult.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FiguresFilterForm(StyledForm):
    """The figures' filters. Invalid input is ignored rather than shown as an error page."""

    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False,
                                      empty_label=_("All campaigns"))
    county = forms.ModelChoiceField(label=_("County / district"), queryset=Region.objects.none(), required=False,
                                    empty_label=_("All of your area"), to_field_name="code")
    start = forms.DateField(label=_("Visited from"), required=False, widget=DATE)
    end = forms.DateField(label=_("Visited until"), required=False, widget=DATE)

    def __init__(self, *args, campaigns, counties, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["county"].queryset = counties

    def values(self) -> dict:
        if not self.is_valid():
            return {"campaign": None, "county": None, "start": None, "end": None}
        return {k: self.cleaned_data.get(k) for k in ("campaign", "county", "start", "end")}
