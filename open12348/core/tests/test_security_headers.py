"""The security headers every response carries: the Content Security Policy, Permissions-Policy,
COOP, nosniff, referrer and frame options; and the two places where the policy is relaxed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from open12348.accounts.roles import Role
from open12348.network.tests.factories import pingdingshan, staff_in


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


def _assert_strict(response) -> None:
    csp = _directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no nonce unless used
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    policy = response["Permissions-Policy"]
    assert "camera=(self)" in policy and "microphone=(self)" in policy and "geolocation=()" in policy
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_console_page_has_the_strict_policy(client):
    client.force_login(staff_in(pingdingshan()["city"], role=Role.WINDOW_STAFF))
    response = client.get(reverse("web:console"))
    assert response.status_code == 200
    _assert_strict(response)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/portal/", "/portal/verify/"])
def test_public_and_portal_pages_have_the_strict_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    _assert_strict(response)


@pytest.mark.django_db
def test_api_responses_have_the_strict_policy(client):
    pingdingshan()
    response = client.get("/api/v1/directory/institutions")
    assert response.status_code == 200
    _assert_strict(response)
    refused = client.get("/api/v1/legal-aid/applications")
    assert refused.status_code in (401, 403)
    _assert_strict(refused)


@pytest.mark.django_db
def test_api_docs_relax_only_styles_and_load_their_script_from_a_file(client):
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    csp = _directives(page)
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["script-src"] == ["'self'"]
    html = page.content.decode()
    assert "<script>" not in html and "?script" in html
    assert client.get(reverse("api:docs") + "?script=").status_code == 200


@pytest.mark.django_db
def test_admin_relaxes_only_styles(client):
    response = client.get("/admin/login/")
    csp = _directives(response)
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["script-src"] == ["'self'"]


def test_a_nonce_appears_in_the_header_only_when_a_template_uses_it(rf):
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    request = rf.get("/")
    response = CSPMiddleware(view)(request)
    nonce = response.content.decode().split('"')[1]
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
