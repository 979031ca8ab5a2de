"""Forms of the portal's identity layer (phone, code, consent) and shared form helpers.

Every message is written for a citizen, in plain words, and shows at its field; a form that fails
keeps what was typed. Templates render fields with portal/_field.html and give forms `novalidate`,
so the server's messages (not the browser's) are what people see.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from open12348.core.errors import ApplicationError

from .identity import normalize_phone


def add_service_error(form: forms.Form, exc: ApplicationError) -> None:
    """Put a service's refusal at the field it names (the last part of a dotted name), else on top."""
    field = (exc.field or "").rsplit(".", 1)[-1]
    form.add_error(field if field in form.fields else None, str(exc.message))


class PhoneField(forms.CharField):
    default_error_messages = {
        "required": _("Enter your mobile number."),
        "invalid": _("Enter an 11-digit mobile number, such as 138 0375 1234."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.input_type = "tel"
        self.widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.error_messages["max_length"] = self.error_messages["invalid"]

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        try:
            return normalize_phone(value)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


class PhoneForm(forms.Form):
    phone = PhoneField(help_text=_("We will send a 6-digit code to this number by text message."))
    agree = forms.BooleanField(
        label=_("I have read how my mobile number will be used, and I agree."),
        error_messages={"required": _("Tick the box to agree, or we cannot send you a code.")},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the text message"), max_length=12,
        help_text=_("6 digits. The code works for 5 minutes."),
        error_messages={"required": _("Enter the 6-digit code from the text message.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric",
                                                 "class": "code-input"})


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I have read the notice above and agree, for this purpose only."),
        error_messages={"required": _("Tick the box if you agree. If you do not, you can call 12348 or visit a "
                                      "service point instead.")},
    )


class TrackingCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"), max_length=20,
        help_text=_("The 10 digits we gave you when you asked, also in our text message."),
        error_messages={"required": _("Enter the tracking code.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean_code(self) -> str:
        code = "".join(ch for ch in self.cleaned_data["code"] if ch.isalnum()).upper()
        if not code.isdigit() or len(code) != 10:
            raise forms.ValidationError(_("A tracking code has 10 digits. Please check it."), code="invalid")
        return code
