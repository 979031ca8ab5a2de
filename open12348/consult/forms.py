"""Staff forms of the consultation console: answer, decline, publish, follow up."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from open12348.core.forms import ConsoleForm

from .choices import FollowUpOutcome, QuestionCategory
from .services import REPLY_MAX, TEXT_MAX, TITLE_MAX


class AnswerForm(ConsoleForm):
    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 10}), max_length=REPLY_MAX,
                           help_text=_("Plain words the asker understands: what the law says, what to do next, "
                                       "where to go. Do not ask for ID or bank numbers here."),
                           error_messages={"required": _("Write the answer.")})
    version = forms.IntegerField(widget=forms.HiddenInput)


class DeclineForm(ConsoleForm):
    reason = forms.CharField(label=_("Why it cannot be answered online, and where to go instead"),
                             widget=forms.Textarea(attrs={"rows": 4}), max_length=REPLY_MAX,
                             error_messages={"required": _("Tell the asker where to get help.")})
    version = forms.IntegerField(widget=forms.HiddenInput)


class PublishForm(ConsoleForm):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX,
                            help_text=_("A short question in plain words, for example 老板拖欠工资怎么办？"),
                            error_messages={"required": _("Give the entry a title.")})
    category = forms.ChoiceField(label=_("Kind of question"), choices=QuestionCategory.choices)
    question_text = forms.CharField(label=_("Question as published"), widget=forms.Textarea(attrs={"rows": 6}),
                                    max_length=TEXT_MAX)
    answer_text = forms.CharField(label=_("Answer as published"), widget=forms.Textarea(attrs={"rows": 10}),
                                  max_length=REPLY_MAX * 2)
    checked = forms.BooleanField(
        label=_("I have read both texts: no names, phone or ID numbers, addresses or other details that could "
                "identify anyone remain."), required=False)


class FollowUpCloseForm(ConsoleForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=FollowUpOutcome.choices, widget=forms.RadioSelect,
                                error_messages={"required": _("Choose what came of the callback.")})
    note = forms.CharField(label=_("What was said and what will be done"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=2000, error_messages={"required": _("Write down what was said.")})
