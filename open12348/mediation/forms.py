"""Forms of the mediation console. Services check the rules; forms only type the input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from open12348.core.forms import ConsoleForm
from open12348.network.choices import InstitutionKind, PractitionerKind
from open12348.network.models import Institution, Practitioner

from .choices import (
    ConfirmationResult,
    DisputeSource,
    DisputeStatus,
    DisputeType,
    FailureReferral,
    PartySide,
    PerformanceStatus,
)

DATE = forms.DateInput(attrs={"type": "date"})
PARTY_ROWS = 4


class DisputeRegisterForm(ConsoleForm):
    committee = forms.ModelChoiceField(label=_("Mediation committee"), queryset=Institution.objects.none())
    dispute_type = forms.ChoiceField(label=_("Type of dispute"), choices=DisputeType.choices)
    source = forms.ChoiceField(label=_("How it came"), choices=DisputeSource.choices)
    source_detail = forms.CharField(label=_("Referring body or ticket"), max_length=100, required=False)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    facts = forms.CharField(label=_("Facts of the dispute"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    mediators = forms.ModelMultipleChoiceField(label=_("Mediators"), queryset=Practitioner.objects.none(),
                                               required=False)

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        self.fields["mediators"].queryset = Practitioner.objects.filter(
            kind=PractitionerKind.MEDIATOR, institution__in=committees).order_by("name")
        for i in range(PARTY_ROWS):
            self.fields[f"p{i}_side"] = forms.ChoiceField(
                label=_("Side"), choices=[("", "—"), *PartySide.choices], required=False,
                initial=PartySide.APPLICANT if i == 0 else PartySide.RESPONDENT if i == 1 else "")
            self.fields[f"p{i}_name"] = forms.CharField(label=_("Name"), max_length=50, required=False)
            self.fields[f"p{i}_id_number"] = forms.CharField(label=_("ID number"), max_length=18, required=False)
            self.fields[f"p{i}_phone"] = forms.CharField(label=_("Phone"), max_length=20, required=False)
            self.fields[f"p{i}_address"] = forms.CharField(label=_("Address"), max_length=200, required=False)
        self.style()

    def main_fields(self):
        return [self[name] for name in ("committee", "dispute_type", "source", "source_detail", "received_on")]

    def party_rows(self):
        return [[self[f"p{i}_{f}"] for f in ("side", "name", "id_number", "phone", "address")]
                for i in range(PARTY_ROWS)]

    def parties(self) -> list[dict]:
        data = self.cleaned_data
        return [{f: data.get(f"p{i}_{f}") or "" for f in ("side", "name", "id_number", "phone", "address")}
                for i in range(PARTY_ROWS) if (data.get(f"p{i}_name") or "").strip()]


def committees_for(user):
    from open12348.accounts.scope import restrict_to_regions

    return restrict_to_regions(Institution.objects.filter(kind=InstitutionKind.MEDIATION_COMMITTEE), user=user
                               ).select_related("region").order_by("region__code", "name")


class FilterForm(ConsoleForm):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *DisputeStatus.choices], required=False)
    dispute_type = forms.ChoiceField(label=_("Type of dispute"), choices=[("", _("All")), *DisputeType.choices],
                                     required=False)
    date_from = forms.DateField(label=_("Received from"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Received to"), required=False, widget=DATE)
    overdue = forms.BooleanField(label=_("Past the one-month guideline"), required=False)


class SessionForm(ConsoleForm):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class AgreementForm(ConsoleForm):
    made_on = forms.DateField(label=_("Agreed on"), widget=DATE)
    issues = forms.CharField(label=_("Matters in dispute and each party's responsibility"),
                             widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    content = forms.CharField(label=_("What the parties agreed"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=4000)
    performance_manner = forms.CharField(label=_("Manner of performance"), max_length=200)
    performance_due = forms.DateField(label=_("To be performed by"), widget=DATE)


class SignForm(ConsoleForm):
    signed_on = forms.DateField(label=_("Signed and sealed on"), widget=DATE)
    all_parties_signed = forms.BooleanField(label=_("Every party signed, sealed or fingerprinted"), required=False)
    mediator_signed = forms.BooleanField(label=_("The mediator signed"), required=False)
    sealed = forms.BooleanField(label=_("The committee sealed it"), required=False)


class ConfirmationApplyForm(ConsoleForm):
    applied_on = forms.DateField(label=_("Applied on"), widget=DATE)
    court = forms.CharField(label=_("Court"), max_length=100)


class ConfirmationResultForm(ConsoleForm):
    result = forms.ChoiceField(label=_("Court's decision"), choices=[
        (ConfirmationResult.CONFIRMED, ConfirmationResult.CONFIRMED.label),
        (ConfirmationResult.REJECTED, ConfirmationResult.REJECTED.label)])
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)


class PerformanceForm(ConsoleForm):
    performance = forms.ChoiceField(label=_("Performance"), choices=[
        (v, label) for v, label in PerformanceStatus.choices if v])
    checked_on = forms.DateField(label=_("Checked on"), widget=DATE)
    note = forms.CharField(label=_("Notes"), max_length=200, required=False)


class FailForm(ConsoleForm):
    closed_on = forms.DateField(label=_("Ended on"), widget=DATE)
    note = forms.CharField(label=_("Why it failed"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    referral = forms.ChoiceField(label=_("Referred to"), required=False, choices=[
        ("", FailureReferral.NONE.label), (FailureReferral.ARBITRATION, FailureReferral.ARBITRATION.label),
        (FailureReferral.LITIGATION, FailureReferral.LITIGATION.label)])
    referral_note = forms.CharField(label=_("Referral record"), max_length=200, required=False)


class WithdrawForm(ConsoleForm):
    closed_on = forms.DateField(label=_("Withdrawn on"), widget=DATE)
    note = forms.CharField(label=_("Notes"), max_length=400, required=False)


class LegalAidReferralForm(ConsoleForm):
    party = forms.ChoiceField(label=_("Party who applies"))
    centre = forms.ModelChoiceField(label=_("Legal aid centre"), queryset=Institution.objects.none())

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        from open12348.legalaid.services import centre_in_reach

        self.fields["party"].choices = [(p.pk, p.name) for p in case.parties.all()]
        # The centres the user may send applications to: in their area or above it (the county's, the city's).
        centres = Institution.objects.filter(kind=InstitutionKind.LEGAL_AID_CENTRE).select_related("region")
        self.fields["centre"].queryset = Institution.objects.filter(
            pk__in=[c.pk for c in centres if centre_in_reach(actor=user, centre=c)]).order_by("name")
