"""Pinyin keys for names, so citizens can type `wdz` or `wangdezhou` to find 王德洲."""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

_NON_ALNUM = re.compile(r"[^a-z0-9]")


def pinyin_keys(name: str) -> tuple[str, str]:
    """Return (full pinyin, initials), lower-case ASCII without separators."""
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors="default", v_to_u=False)
    full = _NON_ALNUM.sub("", "".join(syllables).lower())
    initials = _NON_ALNUM.sub("", "".join(s[:1] for s in syllables if s).lower())
    return full, initials


def looks_like_pinyin(query: str) -> bool:
    return bool(query) and query.isascii() and query.replace(" ", "").isalpha()


def normalise_pinyin_query(query: str) -> str:
    return _NON_ALNUM.sub("", query.lower())
