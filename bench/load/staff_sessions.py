"""Set-up step of the load test: signed-in sessions for demo staff, written straight to the session store.

Staff sign in with a password and a second factor; driving that form from locust would measure the
password hash (PBKDF2, deliberately slow) and need TOTP secrets. The load test measures the pages
staff use all day, so it creates the sessions the way `Client.force_login` does and hands locust
the cookies, with ids of records each account may open.

    DJANGO_SETTINGS_MODULE=config.settings.loadtest python bench/load/staff_sessions.py OUT.json [--per-role 10]
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402

from open12348.accounts.models import User  # noqa: E402
from open12348.legalaid.selectors import application_list_visible_to  # noqa: E402
from open12348.legalaid.selectors_cases import case_list_visible_to  # noqa: E402

ROLES = ("reviewer", "director", "lawyer", "hotlinelead", "leader")
SAMPLE = 50


def session_for(user: User) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def visible_ids(user: User) -> dict[str, list[int]]:
    applications = list(application_list_visible_to(user=user).values_list("id", flat=True)[:SAMPLE])
    cases = list(case_list_visible_to(user=user).values_list("id", flat=True)[:SAMPLE])
    return {"applications": applications, "cases": cases}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--per-role", type=int, default=10, help="sessions per account (one per simulated user)")
    args = parser.parse_args()
    result = {}
    for username in ROLES:
        user = User.objects.get(username=username)
        result[username] = {"sessions": [session_for(user) for _ in range(args.per_role)], **visible_ids(user)}
    args.out.write_text(json.dumps(result))
    print(f"{sum(len(r['sessions']) for r in result.values())} staff sessions -> {args.out}")


if __name__ == "__main__":
    main()
