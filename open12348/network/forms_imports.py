"""Forms of the import and export page: input checks only; the rules live in imports.py."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from open12348.core.errors import ApplicationError

from .choices import InstitutionKind, PractitionerKind
from .imports import INSTITUTIONS, PRACTITIONERS, inspect_upload

ENTITY_CHOICES = [(INSTITUTIONS, _("Institutions")), (PRACTITIONERS, _("Practitioners"))]


class ImportUploadForm(forms.Form):
    entity = forms.ChoiceField(label=_("The file holds"), choices=ENTITY_CHOICES,
                               widget=forms.Select(attrs={"class": "form-select"}))
    file = forms.FileField(label=_("File (.xlsx or .csv)"),
                           widget=forms.FileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB."), code="file_too_large",
                params={"limit": settings.IMPORT_MAX_FILE_BYTES // (1024 * 1024)},
            )
        data = upload.read()
        try:
            self.cleaned_data["format"] = inspect_upload(data=data)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        self.cleaned_data["data"] = data
        return upload


class ExportFilterForm(forms.Form):
    """Optional filters of an export; what is left empty is not filtered."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    q = forms.CharField(label=_("Name contains"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))

    def __init__(self, *args, entity: str, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = InstitutionKind if entity == INSTITUTIONS else PractitionerKind
        self.fields["kind"].choices = [("", _("All kinds")), *kinds.choices]
        self.fields["kind"].widget.attrs["class"] = "form-select form-select-sm"
