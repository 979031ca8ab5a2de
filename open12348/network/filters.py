"""Query parameters of the public directory, parsed the same way for the HTML pages and the API.

Each form turns `request.GET` into keyword arguments for a `directory_*` selector, or into errors
keyed by the parameter's name (the API returns them as a 400, the pages show them by the field).
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import InstitutionKind, PractitionerKind, ServicePointKind
from .models import Region, ServiceType, Specialty
from .selectors import MAX_REGION_DEPTH, regions_by_codes

_REGION_CODE = re.compile(r"^\d{2,12}$")
Q_MAX_LENGTH = 100


class RegionChainField(forms.Field):
    """A division code; the page's cascading picker sends one `region` value per level.

    The deepest value that continues the chain wins. A value that does not continue it is a
    stale lower level left behind when a higher level changed (without JavaScript the lower
    selects keep their old value), so it is ignored, as is everything below a level left at
    "all". An unknown code is an error.
    """

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "unknown": _("There is no region with the code “%(code)s”. Choose a region from the list."),
    }

    def to_python(self, value: Any) -> list[str]:
        """The codes from the top level down, up to the first level left at "all"."""
        if value in self.empty_values:
            return []
        codes = []
        values = value if isinstance(value, list | tuple) else [value]
        # One value per level at most: a longer list is not from the picker and is cut short.
        for item in values[:MAX_REGION_DEPTH + 1]:
            code = str(item).strip()
            if not code:
                break
            codes.append(code)
        return codes

    def clean(self, value: Any) -> Region | None:
        codes = self.to_python(value)
        if not codes:
            return None
        found = regions_by_codes(codes=[c for c in codes if _REGION_CODE.match(c)])
        for code in codes:
            if code not in found:
                raise forms.ValidationError(
                    self.error_messages["unknown"], code="unknown", params={"code": code[:20]}
                )
        chosen = found[codes[0]]
        for code in codes[1:]:
            region = found[code]
            if region.parent_id != chosen.pk:
                break
            chosen = region
        return chosen


def _kind_field(choices) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Type"),
        choices=[("", _("All types")), *choices],
        required=False,
        error_messages={"invalid_choice": _("“%(value)s” is not a known type. Choose a type from the list.")},
    )


def _vocabulary_field(queryset, *, label, empty_label, unknown) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        to_field_name="code",
        required=False,
        empty_label=empty_label,
        error_messages={"invalid_choice": unknown},
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or address"),
        max_length=Q_MAX_LENGTH,
        required=False,
        error_messages={"max_length": _("Please type at most %(limit_value)d characters.")},
    )
    region = RegionChainField(label=_("Region"), required=False)

    def __init__(self, data=None, **kwargs) -> None:
        # Always bound: every parameter is optional, so a first visit lists every published record.
        super().__init__(data if data is not None else {}, **kwargs)
        for name in ("kind", "service", "specialty"):
            if name in self.fields:
                self.fields[name].widget.attrs.update({"class": "form-select form-select-lg"})
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update({
            "class": "form-control form-control-lg",
            "autocomplete": "off",
            "placeholder": _("Name, address, or pinyin initials such as wdz"),
        })

    @property
    def selected_region(self) -> Region | None:
        return getattr(self, "cleaned_data", {}).get("region")

    def selector_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for the matching `directory_*` selector (call after is_valid())."""
        data = self.cleaned_data
        return {"q": data.get("q") or "", "region": data.get("region"), "kind": data.get("kind") or ""}


class InstitutionFilterForm(DirectoryFilterForm):
    kind = _kind_field(InstitutionKind.choices)
    service = _vocabulary_field(
        ServiceType.objects.all(), label=_("Service"), empty_label=_("All services"),
        unknown=_("There is no service with this code. Choose a service from the list."),
    )

    def selector_kwargs(self) -> dict[str, Any]:
        service = self.cleaned_data.get("service")
        return {**super().selector_kwargs(), "service": service.code if service else ""}


class PractitionerFilterForm(DirectoryFilterForm):
    kind = _kind_field(PractitionerKind.choices)
    specialty = _vocabulary_field(
        Specialty.objects.all(), label=_("Specialty"), empty_label=_("All specialties"),
        unknown=_("There is no specialty with this code. Choose a specialty from the list."),
    )
    institution = forms.IntegerField(
        label=_("Institution"), required=False, min_value=1, widget=forms.HiddenInput,
        error_messages={"invalid": _("The institution must be given by its number.")},
    )

    def selector_kwargs(self) -> dict[str, Any]:
        specialty = self.cleaned_data.get("specialty")
        return {
            **super().selector_kwargs(),
            "specialty": specialty.code if specialty else "",
            "institution_id": self.cleaned_data.get("institution"),
        }


class ServicePointFilterForm(DirectoryFilterForm):
    kind = _kind_field(ServicePointKind.choices)
    service = _vocabulary_field(
        ServiceType.objects.all(), label=_("Service"), empty_label=_("All services"),
        unknown=_("There is no service with this code. Choose a service from the list."),
    )

    def selector_kwargs(self) -> dict[str, Any]:
        service = self.cleaned_data.get("service")
        return {**super().selector_kwargs(), "service": service.code if service else ""}


class RegionChildrenForm(forms.Form):
    """`parent` of the regions API and the picker's options: empty means the top level."""

    parent = forms.CharField(required=False, max_length=12)

    def clean_parent(self) -> Region | None:
        code = (self.cleaned_data.get("parent") or "").strip()
        if not code:
            return None
        region = regions_by_codes(codes=[code]).get(code) if _REGION_CODE.match(code) else None
        if region is None:
            raise forms.ValidationError(
                RegionChainField.default_error_messages["unknown"], code="unknown", params={"code": code}
            )
        return region
