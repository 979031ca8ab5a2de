"""Staff console forms for the service network.

Forms check input shape only (400-type errors); domain rules live in network/services.py and
come back as ApplicationError, which `apply_application_error` puts on the field it names.
Every choice list is restricted to the user's data scope, so a posted id from another county
is simply "not a valid choice".
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from open12348.accounts.scope import region_paths_for
from open12348.core.errors import ApplicationError

from .choices import InstitutionKind, PractitionerKind, Sex
from .models import Region, ServiceType, Specialty
from .selectors import institution_list_visible_to

_LIST_SEPARATORS = re.compile(r"[,，、;；\s]+")


def regions_visible_to(*, user) -> QuerySet[Region]:
    """Regions inside the user's data scope (the subtree of each organisation's region)."""
    paths = region_paths_for(user)
    qs = Region.objects.all()
    if paths is None:
        return qs.order_by("path")
    if not paths:
        return qs.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return qs.filter(condition).order_by("path")


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        # Indent by depth so the tree reads in a plain <select>.
        return "\u3000" * max(obj.depth - 1, 0) + f"{obj.name} ({obj.code})"


def apply_application_error(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's refusal next to the input it concerns; the form keeps what was typed."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


class ConsoleFilterForm(forms.Form):
    """The list filters: free text (name or pinyin) and kind. Invalid input is ignored, not an error page."""

    q = forms.CharField(label=_("Name or pinyin"), required=False, max_length=50)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, kind_choices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *kind_choices]

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class BootstrapFormMixin:
    """Bootstrap classes on every widget, so templates can render fields in a loop."""

    def _style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class InstitutionForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=InstitutionKind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=18, required=False,
        help_text=_("18 characters, as printed on the registration certificate."),
    )
    licence_no = forms.CharField(label=_("Practice licence number"), max_length=40, required=False)
    region = RegionChoiceField(label=_("Region"), queryset=Region.objects.none())
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(label=_("Public phone"), max_length=40, required=False)
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=100, required=False)
    services = forms.ModelMultipleChoiceField(
        label=_("Services offered"), queryset=ServiceType.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    is_public = forms.BooleanField(label=_("Show in the public directory"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_visible_to(user=user)
        self._style_widgets()

    @classmethod
    def initial_from(cls, institution) -> dict[str, Any]:
        return {
            "kind": institution.kind, "name": institution.name, "credit_code": institution.credit_code,
            "licence_no": institution.licence_no, "region": institution.region_id,
            "address": institution.address, "phone": institution.phone,
            "opening_hours": institution.opening_hours, "services": list(institution.services.all()),
            "description": institution.description, "is_public": institution.is_public,
        }

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class PractitionerForm(BootstrapFormMixin, forms.Form):
    """Public fields for everyone who may edit; the private ones only for NETWORK_PRIVATE users.

    The private fields are never pre-filled: showing them in an edit form would reveal the full
    values without the audited "show full details" step. Left blank, they keep their value.
    """

    PRIVATE_FIELDS = ("id_number", "mobile")

    kind = forms.ChoiceField(label=_("Kind"), choices=PractitionerKind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    licence_no = forms.CharField(
        label=_("Licence number"), max_length=40, required=False,
        help_text=_("Lawyers: 17 digits. Legal workers, notaries and appraisers: 8 to 20 digits."),
    )
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=None, required=False)
    region = RegionChoiceField(
        label=_("Region"), queryset=Region.objects.none(), required=False,
        help_text=_("Leave empty to use the institution's region."),
    )
    practice_since = forms.IntegerField(label=_("Practising since (year)"), required=False)
    specialties = forms.ModelMultipleChoiceField(
        label=_("Specialties"), queryset=Specialty.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.CharField(
        label=_("Languages"), max_length=200, required=False,
        help_text=_("Separate several with commas, for example: 普通话, 河南话."),
    )
    duty_hours = forms.CharField(label=_("Duty hours"), max_length=100, required=False)
    profile = forms.CharField(label=_("Public profile"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    is_public = forms.BooleanField(label=_("Show in the public directory"), required=False, initial=True)
    id_number = forms.CharField(
        label=_("ID number"), max_length=18, required=False,
        help_text=_("Leave empty to keep the number on file."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    mobile = forms.CharField(
        label=_("Private mobile"), max_length=11, required=False,
        help_text=_("Leave empty to keep the number on file."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user, show_private: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institution_list_visible_to(user=user).select_related(None).only("id", "name")
        self.fields["region"].queryset = regions_visible_to(user=user)
        if not show_private:
            for name in self.PRIVATE_FIELDS:
                del self.fields[name]
        self._style_widgets()

    @classmethod
    def initial_from(cls, practitioner) -> dict[str, Any]:
        return {
            "kind": practitioner.kind, "name": practitioner.name, "sex": practitioner.sex,
            "licence_no": practitioner.licence_no, "institution": practitioner.institution_id,
            "region": practitioner.region_id, "practice_since": practitioner.practice_since,
            "specialties": list(practitioner.specialties.all()),
            "languages": ", ".join(practitioner.languages or []), "duty_hours": practitioner.duty_hours,
            "profile": practitioner.profile, "is_public": practitioner.is_public,
        }

    def clean_languages(self) -> list[str]:
        raw = self.cleaned_data.get("languages") or ""
        return [part for part in _LIST_SEPARATORS.split(raw) if part]

    def clean_id_number(self) -> str:
        return (self.cleaned_data.get("id_number") or "").strip().upper()

    def clean_mobile(self) -> str:
        return (self.cleaned_data.get("mobile") or "").strip()

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in self.PRIVATE_FIELDS:
            if not data.get(name):  # blank means "keep", never "erase"
                data.pop(name, None)
        return data
