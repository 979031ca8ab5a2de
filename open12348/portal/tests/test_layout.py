"""The portal's layout: large-text switch, light pages that read without JavaScript, accessible forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from open12348.portal.preferences import COOKIE

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "open12348"
PORTAL_ASSETS = [STATIC / "static/css/portal.css", STATIC / "portal/static/portal/portal.js"]


def test_the_large_text_switch_is_a_plain_form_that_sets_a_cookie_and_comes_back():
    client = Client()
    response = client.post(reverse("portal:elder_mode"), {"on": "1", "next": "/portal/help/"})
    assert response.status_code == 302 and response["Location"] == "/portal/help/"
    cookie = response.cookies[COOKIE]
    assert cookie.value == "1" and int(cookie["max-age"]) >= 300 * 24 * 3600 and cookie["samesite"] == "Lax"
    html = client.get(reverse("portal:home")).content.decode()
    assert re.search(r'<body class="portal elder', html) and 'aria-pressed="true"' in html
    client.post(reverse("portal:elder_mode"), {"on": "0", "next": "/portal/"})
    assert '<body class="portal elder' not in client.get(reverse("portal:home")).content.decode()


def test_the_switch_does_not_redirect_off_site():
    response = Client().post(reverse("portal:elder_mode"), {"on": "1", "next": "//evil.example/"})
    assert response["Location"] == reverse("portal:home")


def test_pages_need_no_framework_and_only_one_small_deferred_script():
    html = Client().get(reverse("portal:home")).content.decode()
    assert "bootstrap" not in html and "htmx" not in html and "alpine" not in html
    scripts = re.findall(r"<script[^>]*>", html)
    assert len(scripts) == 1 and "defer" in scripts[0]


def test_portal_assets_are_small():
    for asset in PORTAL_ASSETS:
        assert asset.stat().st_size < 30 * 1024, asset


def test_pages_have_a_skip_link_a_language_and_one_main_heading():
    for name in ("portal:home", "portal:help", "portal:library", "portal:privacy", "portal:verify"):
        html = Client().get(reverse(name)).content.decode()
        assert 'class="skip-link" href="#main"' in html and '<main id="main"' in html
        assert '<html lang="zh-hans"' in html
        assert len(re.findall(r"<h1[ >]", html)) == 1, name


def test_form_fields_are_labelled_and_errors_are_tied_to_them():
    html = Client().post(reverse("portal:verify"), {"phone": "12"}).content.decode()
    assert '<label for="id_phone">' in html
    field = re.search(r"<input[^>]*id=\"id_phone\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in field and "id_phone_error" in field and "id_phone_helptext" in field
    assert 'novalidate' in html  # the server's messages, not the browser's, are what people read


def test_the_home_page_offers_the_hotline_as_a_tap_to_call_link():
    assert 'href="tel:12348"' in Client().get(reverse("portal:home")).content.decode()
