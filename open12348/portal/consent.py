"""Separate consent before sensitive personal information is collected (PIPL Art. 29).

    @consent_required(ConsentPurpose.SENSITIVE)
    def ask(request): ...

A visitor without a proved phone first goes to the SMS-code page; one without the consent goes
to `portal:consent`, which shows the plain-words notice for that purpose and comes back here.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .identity import citizen_phone, citizen_phone_hash, verify_url
from .services import consent_given


def consent_url(purpose: str, next_url: str) -> str:
    return f"{reverse('portal:consent')}?{urlencode({'purpose': purpose, 'next': next_url})}"


def consent_required(purpose: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            phone = citizen_phone(request)
            if phone is None:
                return redirect(verify_url(request.get_full_path()))
            if not consent_given(phone_hash=citizen_phone_hash(phone), purpose=purpose):
                return redirect(consent_url(purpose, request.get_full_path()))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
