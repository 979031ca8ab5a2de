"""Every message a citizen can get on a portal form exists in Chinese in the catalogue."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from open12348.portal.forms import CodeForm, ConsentForm, PhoneForm, TrackingCodeForm
from open12348.portal.forms_consult import AskForm, FollowUpForm, LibrarySearchForm, RatingForm

pytestmark = pytest.mark.django_db

FORMS = (PhoneForm, CodeForm, ConsentForm, TrackingCodeForm, AskForm, FollowUpForm, LibrarySearchForm, RatingForm)


def portal_messages() -> list[Promise]:
    """The lazy strings of our forms: labels, hints and the error messages we wrote (not Django's own)."""
    found = []
    for form_class in FORMS:
        for field in form_class.base_fields.values():
            found += [text for text in (field.label, field.help_text, *field.error_messages.values())
                      if isinstance(text, Promise)]
    return found


def test_form_messages_read_in_chinese():
    messages = portal_messages()
    # A lazy string hashes as its text in the active language: keep them in a list, never a dict.
    with translation.override("en"):
        english = [str(message) for message in messages]
    with translation.override("zh-hans"):
        chinese = [str(message) for message in messages]
    with translation.override("zh-hans"):
        if gettext("12348 in your pocket") == "12348 in your pocket":
            pytest.skip("the zh-Hans catalogue has no portal strings yet: the lead fills it from notes/zh_portal_a.json")
    untranslated = sorted({en for en, zh in zip(english, chinese, strict=True) if en and en == zh})
    assert untranslated == []
