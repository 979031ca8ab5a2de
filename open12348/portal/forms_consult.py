"""Citizens' forms for asking a lawyer, following up, searching the library, and rating."""

from __future__ import annotations

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from open12348.consult.choices import QuestionCategory, RatingLevel
from open12348.consult.services import TEXT_MAX, TEXT_MIN
from open12348.consult.services_ratings import COMMENT_MAX

from .selectors import local_regions


class AskForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What is your question about?"), choices=QuestionCategory.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose what your question is about."),
                        "invalid_choice": _("Choose what your question is about.")},
    )
    region = forms.ChoiceField(
        label=_("Where do you live, or where did it happen?"),
        help_text=_("So that a duty lawyer from your area answers."),
        error_messages={"required": _("Choose where you live or where it happened."),
                        "invalid_choice": _("Choose where you live or where it happened.")},
    )
    text = forms.CharField(
        label=_("Your question"), widget=forms.Textarea(attrs={"rows": 7}), max_length=TEXT_MAX,
        help_text=_("Say what happened, when, and what you want to know. Do not write your ID number or bank "
                    "card number."),
        error_messages={"required": _("Write your question."),
                        "max_length": _("Please keep it under %(limit_value)d characters. You can add more after "
                                        "the answer.")},
    )
    attachment = forms.FileField(
        label=_("A photo or file"), required=False,
        help_text=_("For example a photo of a contract or a notice. JPEG, PNG, PDF or Word, up to 5 MB."),
    )
    wants_public = forms.TypedChoiceField(
        label=_("May we publish the question and answer for others to read?"),
        choices=[("no", _("No, keep it between me and the lawyer")),
                 ("yes", _("Yes, after names, numbers and addresses are removed"))],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect, initial="no",
        error_messages={"required": _("Say whether we may publish it."),
                        "invalid_choice": _("Say whether we may publish it.")},
    )
    submit_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        parent, options = local_regions()
        self.regions = {r.code: r for r in ([parent] if parent else []) + options}
        choices = [("", _("Choose…"))]
        choices += [(r.code, r.name) for r in options]
        if parent is not None:
            choices.append((parent.code, _("Not sure / elsewhere in %(name)s") % {"name": parent.name}))
        self.fields["region"].choices = choices
        if not self.is_bound:
            self.initial.setdefault("submit_token", secrets.token_urlsafe(24))

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if len(text) < TEXT_MIN:
            raise forms.ValidationError(
                _("Please write at least %(min)d characters, so that a lawyer understands what happened.")
                % {"min": TEXT_MIN}, code="too_short")
        return text

    def clean_region(self):
        return self.regions[self.cleaned_data["region"]]


class FollowUpForm(forms.Form):
    text = forms.CharField(
        label=_("Ask more about the answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_MAX,
        error_messages={"required": _("Write what you want to ask."),
                        "max_length": _("Please keep it under %(limit_value)d characters.")},
    )


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Search words"), required=False, max_length=50,
                        help_text=_("For example 工资, 离婚 or 交通事故."),
                        error_messages={"max_length": _("Please type at most %(limit_value)d characters.")})
    category = forms.ChoiceField(
        label=_("Kind of question"), required=False, choices=[("", _("All kinds")), *QuestionCategory.choices],
        error_messages={"invalid_choice": _("Choose a kind from the list.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("How satisfied are you?"), choices=RatingLevel.choices, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are."),
                        "invalid_choice": _("Choose how satisfied you are.")},
    )
    comment = forms.CharField(
        label=_("Anything you want to tell us"), required=False, max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("If you are not satisfied, tell us why: someone from the judicial bureau will call you back."),
        error_messages={"max_length": _("Please keep the comment under %(limit_value)d characters.")},
    )
