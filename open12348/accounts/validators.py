import re

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

_CLASSES = (re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"\d"), re.compile(r"[^a-zA-Z\d]"))


class CharacterClassValidator:
    """等保三级 password complexity: at least `min_classes` of lower, upper, digit, symbol."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        used = sum(1 for pattern in _CLASSES if pattern.search(password))
        if used < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must mix at least %(n)d kind of character: lower-case letters, "
            "upper-case letters, digits and symbols.",
            "Your password must mix at least %(n)d kinds of characters: lower-case letters, "
            "upper-case letters, digits and symbols.",
            self.min_classes,
        ) % {"n": self.min_classes}


