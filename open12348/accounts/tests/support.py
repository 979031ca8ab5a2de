"""Signing in through both steps in tests: enrol a known secret, post the password, post a code."""

from __future__ import annotations

import time

import pyotp
from django.urls import reverse

from open12348.accounts.models import User
from open12348.accounts.services import totp_device_preset
from open12348.network.tests.factories import STRONG_PASSWORD

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enrol(user: User, secret: str = SECRET) -> pyotp.TOTP:
    totp_device_preset(actor=None, user=user, secret=secret)
    return pyotp.TOTP(secret)


def post_password(client, user: User | str, password: str = STRONG_PASSWORD, **extra):
    username = user if isinstance(user, str) else user.username
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def post_code(client, code: str, **extra):
    return client.post(reverse("accounts:second_step"), {"code": code}, **extra)


def sign_in(client, user: User, password: str = STRONG_PASSWORD, secret: str = SECRET):
    """Both steps with the current code; returns the second step's response."""
    post_password(client, user, password)
    return post_code(client, pyotp.TOTP(secret).at(time.time()))


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session
