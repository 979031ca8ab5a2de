"""Encryption at rest and keyed hashes (blind indexes) for personal data.

Keys come from settings (the environment), never from the database, so a database dump alone
reveals neither the values nor a way to test guesses against the hashes.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    if value == "":
        return ""
    return _current().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if token == "":
        return ""
    try:
        return _current().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:  # wrong key or tampered ciphertext: never return garbage
        raise ValueError("cannot decrypt a protected field with the configured keys") from exc


def is_current(token: str) -> bool:
    """Whether `token` is encrypted with the first (current) key, so key rotation can skip it."""
    if token == "":
        return True
    first = _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS[:1]))
    try:
        first.decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def reencrypt(token: str) -> str:
    """The same value encrypted with the current key; a token no configured key opens is refused."""
    if token == "":
        return ""
    try:
        return _current().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise ValueError("cannot decrypt a protected field with the configured keys") from exc


def blind_index(value: str, *, purpose: str, key: str | None = None) -> str:
    """A keyed hash for exact-match lookup; `purpose` keeps ID numbers and phones apart.

    `key` defaults to `BLIND_INDEX_KEY`; key rotation passes the retired key to find old hashes.
    """
    if value == "":
        return ""
    normalized = value.strip().upper()
    secret = settings.BLIND_INDEX_KEY if key is None else key
    mac_key = f"{secret}:{purpose}".encode()
    return hmac.new(mac_key, normalized.encode("utf-8"), hashlib.sha256).hexdigest()
