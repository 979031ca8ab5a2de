"""Forms of the front desk. One page registers the visitor and any of their requests."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from open12348.core.forms import ConsoleForm
from open12348.legalaid.eligibility.codes import AidForm, CaseCategory, Matter
from open12348.legalaid.forms import TownshipChoiceField
from open12348.mediation.choices import DisputeType
from open12348.network.choices import InstitutionKind, RegionLevel
from open12348.network.models import Institution, Region

from .choices import REFERRAL_KINDS, ConsultationChannel, TicketKind, TicketStatus

REFERRAL_OWNER_KINDS = {
    TicketKind.NOTARY: InstitutionKind.NOTARY_OFFICE,
    TicketKind.APPRAISAL: InstitutionKind.APPRAISAL_INSTITUTION,
    TicketKind.ARBITRATION: InstitutionKind.ARBITRATION_BODY,
    TicketKind.LAWYER: InstitutionKind.LAW_FIRM,
}
TEXTAREA = forms.Textarea(attrs={"rows": 2})


def wide_region_paths(user) -> list[str] | None:
    """The user's region paths, a township's or village's widened to its county: a judicial office
    sends people to the district's legal aid centre, notaries and arbitration."""
    from open12348.accounts.scope import region_paths_for
    from open12348.network.choices import RegionLevel
    from open12348.network.models import Region

    paths = region_paths_for(user)
    if paths is None:
        return None
    wide = set()
    for region in Region.objects.filter(path__in=paths).select_related("parent__parent"):
        while region.level in (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE) and region.parent_id:
            region = region.parent
        wide.add(region.path)
    return sorted(wide)


class VisitForm(ConsoleForm):
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    queue_number = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # consultation answered on the spot
    want_consultation = forms.BooleanField(label=_("Consultation answered on the spot"), required=False)
    consultation_topic = forms.CharField(label=_("Topic"), max_length=60, required=False)
    consultation_question = forms.CharField(label=_("Question"), widget=TEXTAREA, required=False)
    consultation_answer = forms.CharField(label=_("Answer given"), widget=TEXTAREA, required=False)
    # legal aid
    want_legal_aid = forms.BooleanField(label=_("Legal aid application"), required=False)
    aid_centre = forms.ModelChoiceField(label=_("Legal aid centre"), queryset=Institution.objects.none(),
                                        required=False)
    aid_matter = forms.ChoiceField(label=_("Matter"), choices=Matter.choices, required=False)
    aid_category = forms.ChoiceField(label=_("Kind of case"), choices=CaseCategory.choices, required=False,
                                     initial=CaseCategory.CIVIL)
    aid_form = forms.ChoiceField(label=_("Form of legal aid"), choices=AidForm.choices, required=False,
                                 initial=AidForm.CIVIL_LITIGATION)
    aid_cause = forms.CharField(label=_("Cause"), max_length=100, required=False)
    aid_opposing_party = forms.CharField(label=_("Opposing party"), max_length=100, required=False)
    aid_facts = forms.CharField(label=_("Facts"), widget=TEXTAREA, required=False)
    aid_residence = TownshipChoiceField(label=_("Township or street of residence"), queryset=Region.objects.none(),
                                        required=False, empty_label=_("Not known"))
    # mediation
    want_mediation = forms.BooleanField(label=_("People's mediation"), required=False)
    mediation_committee = forms.ModelChoiceField(label=_("Mediation committee"), queryset=Institution.objects.none(),
                                                 required=False)
    mediation_type = forms.ChoiceField(label=_("Type of dispute"), choices=DisputeType.choices, required=False)
    mediation_respondent = forms.CharField(label=_("Other party"), max_length=50, required=False)
    mediation_respondent_phone = forms.CharField(label=_("Other party's phone"), max_length=20, required=False)
    mediation_facts = forms.CharField(label=_("Facts of the dispute"), widget=TEXTAREA, required=False)
    # referral
    want_referral = forms.BooleanField(label=_("Referral"), required=False)
    referral_kind = forms.ChoiceField(label=_("Referred to"), required=False,
                                      choices=[(k.value, k.label) for k in TicketKind if k in REFERRAL_KINDS])
    referral_owner = forms.ModelChoiceField(label=_("Receiving body"), queryset=Institution.objects.none(),
                                            required=False)
    referral_owner_name = forms.CharField(label=_("Or its name"), max_length=100, required=False)
    referral_summary = forms.CharField(label=_("What the person needs"), widget=TEXTAREA, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        institutions = Institution.objects.select_related("region").order_by("name")
        paths = wide_region_paths(user)
        if paths is not None:
            from django.db.models import Q

            condition = Q(pk__in=[])
            for path in paths:
                condition |= Q(region__path__startswith=path)
            institutions = institutions.filter(condition)
        self.fields["aid_centre"].queryset = institutions.filter(kind=InstitutionKind.LEGAL_AID_CENTRE)
        self._residence_choices(user, paths)
        self.fields["mediation_committee"].queryset = institutions.filter(kind=InstitutionKind.MEDIATION_COMMITTEE)
        self.fields["referral_owner"].queryset = institutions.filter(kind__in=list(REFERRAL_OWNER_KINDS.values()))

    def _residence_choices(self, user, paths: list[str] | None) -> None:
        """The townships of the county (or counties) the desk serves; the desk's own township first chosen."""
        from django.db.models import Q

        from open12348.accounts.scope import region_paths_for

        townships = Region.objects.filter(level=RegionLevel.TOWNSHIP).select_related("parent").order_by("path")
        if paths is not None:
            condition = Q(pk__in=[])
            for path in paths:
                condition |= Q(path__startswith=path)
            townships = townships.filter(condition)
        self.fields["aid_residence"].queryset = townships
        own = Region.objects.filter(path__in=region_paths_for(user) or [],
                                    level__in=[RegionLevel.TOWNSHIP, RegionLevel.VILLAGE]).order_by("path").first()
        if own is not None and not self.is_bound:
            self.initial.setdefault("aid_residence", own.pk if own.level == RegionLevel.TOWNSHIP else own.parent_id)

    SECTIONS = (("want_consultation", "consultation_"), ("want_legal_aid", "aid_"),
                ("want_mediation", "mediation_"), ("want_referral", "referral_"))

    def person_fields(self):
        return [self[name] for name in ("name", "id_number", "phone", "address")]

    def sections(self):
        """(checkbox, its fields) for each kind of request, for the template."""
        return [(self[box], [self[name] for name in self.fields if name.startswith(prefix)])
                for box, prefix in self.SECTIONS]

    def person(self) -> dict:
        return {k: self.cleaned_data.get(k) or "" for k in ("name", "id_number", "phone", "address")}

    def requests(self) -> list[dict]:
        data = self.cleaned_data
        requests = []
        if data.get("want_consultation"):
            requests.append({"kind": TicketKind.CONSULTATION, "topic": data["consultation_topic"],
                             "question": data["consultation_question"], "answer": data["consultation_answer"]})
        if data.get("want_legal_aid"):
            requests.append({"kind": TicketKind.LEGAL_AID, "centre": data.get("aid_centre"), "details": {
                "matter": data["aid_matter"], "category": data["aid_category"], "aid_form": data["aid_form"],
                "cause": data["aid_cause"], "opposing_party": data["aid_opposing_party"], "facts": data["aid_facts"],
                "stage": "not_started"}, "residence": data.get("aid_residence")})
        if data.get("want_mediation"):
            requests.append({"kind": TicketKind.MEDIATION, "committee": data.get("mediation_committee"),
                             "dispute_type": data["mediation_type"], "facts": data["mediation_facts"],
                             "respondents": [{"name": data["mediation_respondent"],
                                              "phone": data["mediation_respondent_phone"]}]})
        if data.get("want_referral"):
            requests.append({"kind": data["referral_kind"], "owner": data.get("referral_owner"),
                             "owner_name": data["referral_owner_name"], "summary": data["referral_summary"]})
        return requests

    FIELD_OF_REQUEST = {
        TicketKind.CONSULTATION: {"topic": "consultation_topic", "question": "consultation_question",
                                  "answer": "consultation_answer"},
        TicketKind.LEGAL_AID: {"centre": "aid_centre", "matter": "aid_matter", "category": "aid_category",
                               "aid_form": "aid_form", "facts": "aid_facts", "residence": "aid_residence"},
        TicketKind.MEDIATION: {"committee": "mediation_committee", "facts": "mediation_facts",
                               "dispute_type": "mediation_type", "parties": "mediation_respondent"},
    }


class TicketFilterForm(ConsoleForm):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *TicketStatus.choices], required=False)
    kind = forms.ChoiceField(label=_("Request"), choices=[("", _("All")), *TicketKind.choices], required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class ResultForm(ConsoleForm):
    result = forms.CharField(label=_("What the receiving body reported"), widget=TEXTAREA, max_length=4000)


class ConsultationForm(ConsoleForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=ConsultationChannel.choices)
    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    topic = forms.CharField(label=_("Topic"), max_length=60)
    question = forms.CharField(label=_("Question"), widget=TEXTAREA, max_length=4000)
    answer = forms.CharField(label=_("Answer given"), widget=TEXTAREA, max_length=4000)
