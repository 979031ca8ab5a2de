"""The forms of the guided legal aid application: one question per screen, and the phone upload.

`QuestionForm` builds the one field an interview question needs (interview.py says what kind of
answer it is) and returns the answer in the JSON shape the draft stores. Every message is at the
field, in plain words, and a form that fails keeps what was typed.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from open12348.core.idnumber import parse_id_number
from open12348.legalaid.choices import MaterialKind

from . import interview
from .forms import PhoneField

MAX_AMOUNT = Decimal("1000000000")  # a typing-error guard, not a policy
TEXT_LENGTHS = {"applicant_name": 50, "agent_name": 50, "cause": 100, "opposing_party": 200, "handling_organ": 200,
                "address": 200}
COUNT_LIMITS = {"household_members": 100, "people_count": 10000}
FACTS_LENGTH = 4000

REQUIRED_MESSAGES = {
    interview.CHOICE: _("Choose one of the answers."),
    interview.REGION: _("Choose the county or district."),
    interview.YESNO: _("Choose yes or no."),
    interview.TEXT: _("Please write an answer."),
    interview.TEXTAREA: _("Please tell us in a few words what happened."),
    interview.ID_NUMBER: _("Enter the 18-character ID card number."),
    interview.MONEY: _("Enter an amount in yuan. Write 0 if there is none."),
    interview.COUNT: _("Enter a number."),
}
KEY_MESSAGES = {
    "applicant_name": _("Enter the full name of the person who needs legal aid."),
    "agent_name": _("Enter your own full name."),
    "address": _("Enter an address where letters can reach you."),
}


class MoneyField(forms.CharField):
    """Yuan with at most two decimals, kept as text ("2400.50") so the draft stores it exactly."""

    default_error_messages = {
        "invalid": _("Enter an amount in yuan using digits, such as 2500 or 2500.50."),
        "negative": _("The amount cannot be below zero."),
        "too_large": _("This amount is too large. Please check it."),
    }

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return ""
        text = str(value).replace(",", "").replace("，", "").replace("元", "").replace("¥", "").strip()
        try:
            amount = Decimal(text)
        except InvalidOperation as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if not amount.is_finite() or amount.as_tuple().exponent < -2:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if amount < 0:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if amount > MAX_AMOUNT:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        return str(amount)


class IdNumberField(forms.CharField):
    default_error_messages = {
        "invalid": _("This is not a valid ID card number. Check the 18 characters one by one; the last one may "
                     "be the letter X."),
    }

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        try:
            return parse_id_number(str(value).replace(" ", "")).value
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


def _initial(question: interview.Question, stored: Any) -> Any:
    if stored is None:
        return None
    if question.kind == interview.YESNO:
        return "yes" if stored is True else "no" if stored is False else None
    return stored


def build_field(question: interview.Question, answers: dict, ctx: interview.InterviewContext) -> forms.Field:
    kind, required = question.kind, question.required
    common: dict[str, Any] = {"label": question.text, "help_text": question.help, "required": required}
    message = KEY_MESSAGES.get(question.key) or REQUIRED_MESSAGES.get(kind)
    if message:
        common["error_messages"] = {"required": message}
    choices = [(o.value, o.label) for o in question.choices(answers, ctx)]
    if kind in (interview.CHOICE, interview.REGION, interview.YESNO):
        field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        field.error_messages["invalid_choice"] = _("Choose one of the answers shown.")
        return field
    if kind == interview.MULTI:
        field = forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
        field.error_messages["invalid_choice"] = _("Choose from the answers shown.")
        return field
    if kind == interview.CONFIRM:
        common["error_messages"] = {"required": _("Tick the box to make this promise. If something you said "
                                                  "about the income is not right, go back and correct it first.")}
        return forms.BooleanField(**common)
    if kind == interview.ID_NUMBER:
        field = IdNumberField(max_length=22, **common)
        field.widget.attrs.update({"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"})
        return field
    if kind == interview.PHONE:
        return PhoneField(**common)
    if kind == interview.MONEY:
        field = MoneyField(max_length=20, **common)
        field.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        return field
    if kind == interview.COUNT:
        limit = COUNT_LIMITS.get(question.key, 100)
        field = forms.IntegerField(min_value=1, max_value=limit, **common)
        field.error_messages.update({
            "invalid": _("Enter a whole number, such as 3."),
            "min_value": _("Count at least one person."),
            "max_value": _("This number is too large. Please check it."),
        })
        field.widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
        return field
    if kind == interview.TEXTAREA:
        field = forms.CharField(max_length=FACTS_LENGTH, widget=forms.Textarea(attrs={"rows": 6}), **common)
        field.error_messages["max_length"] = _("Please keep it shorter: at most %(limit_value)d characters.")
        return field
    field = forms.CharField(max_length=TEXT_LENGTHS.get(question.key, 200), **common)
    field.error_messages["max_length"] = _("Please keep it shorter: at most %(limit_value)d characters.")
    if question.key in ("applicant_name", "agent_name"):
        field.widget.attrs["autocomplete"] = "off"
    elif question.key == "address":
        field.widget.attrs["autocomplete"] = "street-address"
    return field


class QuestionForm(forms.Form):
    """One question of the interview; `answer()` is the value to store in the draft."""

    def __init__(self, *args, question: interview.Question, answers: dict, ctx: interview.InterviewContext,
                 stored: Any = None, **kwargs) -> None:
        """`answers` are those given before this question (its options may depend on them); `stored` is the
        answer already saved for it, shown again when the applicant comes back to change it."""
        kwargs.setdefault("initial", {"answer": _initial(question, stored)})
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields["answer"] = build_field(question, answers, ctx)

    def answer(self) -> Any:
        value = self.cleaned_data["answer"]
        kind = self.question.kind
        if kind == interview.YESNO:
            return value == "yes"
        if kind == interview.MULTI:
            return sorted(value)
        if kind == interview.CONFIRM:
            return bool(value)
        if kind in (interview.TEXT, interview.TEXTAREA):
            return value.strip()
        if kind == interview.COUNT:
            return value
        return value if value is not None else ""


class UploadForm(forms.Form):
    """One photo or scan from the phone. The content is checked by legalaid's materials rules."""

    kind = forms.ChoiceField(label=_("What is it?"), choices=MaterialKind.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("Choose what the paper is.")})
    file = forms.FileField(
        label=_("Photo or scan"), help_text=_("A photo (JPEG or PNG) or a PDF. You can take the photo now."),
        error_messages={"required": _("Choose a photo or a file, or take a photo."),
                        "empty": _("The file is empty.")},
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf", "capture": "environment"}),
    )

    def __init__(self, *args, kinds: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if kinds:
            labels = dict(MaterialKind.choices)
            ordered = [*kinds, *[k for k in MaterialKind.values if k not in kinds]]
            self.fields["kind"].choices = [(k, labels[k]) for k in ordered]
