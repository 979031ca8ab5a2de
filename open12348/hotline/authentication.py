"""API authentication of telephony systems: `Authorization: Bearer <token>`, never a staff session."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission

from .models import TelephonyClient
from .services.telephony import TelephonyPrincipal, telephony_client_for_token, telephony_refused


class TelephonyTokenAuthentication(BaseAuthentication):
    """Recognises a telephony client by its bearer token. Every refusal is audited (with the
    prefix the caller claimed, never the secret)."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != b"bearer":
            telephony_refused(reason="missing", token="", path=request.path)
            raise exceptions.NotAuthenticated()
        if len(header) != 2:
            telephony_refused(reason="malformed", token="", path=request.path)
            raise exceptions.AuthenticationFailed()
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            telephony_refused(reason="malformed", token="", path=request.path)
            raise exceptions.AuthenticationFailed() from None
        client = telephony_client_for_token(token)
        if client is None:
            telephony_refused(reason="invalid", token=token, path=request.path)
            raise exceptions.AuthenticationFailed()
        return TelephonyPrincipal(client), client

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="telephony"'


class IsTelephonyClient(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, TelephonyClient)


class TelephonyTokenScheme(OpenApiAuthenticationExtension):
    """Tells the API document how the telephony system authenticates: a bearer token."""

    target_class = "open12348.hotline.authentication.TelephonyTokenAuthentication"
    name = "telephonyToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "The token issued by `manage.py hotline_issue_token`."}
