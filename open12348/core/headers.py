"""Response headers that neither Django nor django-csp sets: Permissions-Policy, and the one
relaxation of the Content Security Policy that a whole URL prefix needs (the Django admin)."""

from __future__ import annotations

from django.conf import settings


def permissions_policy_value(policy: dict[str, list[str]]) -> str:
    """{"camera": ["self"], "geolocation": []} -> 'camera=(self), geolocation=()'."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


class SecurityHeadersMiddleware:
    """Sets Permissions-Policy on every response and widens the CSP where CSP_PATH_UPDATES says so.

    Placed after csp.middleware.CSPMiddleware in MIDDLEWARE, so that its response handling runs first
    and CSPMiddleware sees the update (the same attribute django-csp's @csp_update decorator sets).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = permissions_policy_value(settings.PERMISSIONS_POLICY)
        self.path_updates = tuple(settings.CSP_PATH_UPDATES.items())

    def __call__(self, request):
        response = self.get_response(request)
        if self.permissions_policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions_policy
        if getattr(response, "_csp_update", None) is None:
            for prefix, update in self.path_updates:
                if request.path_info.startswith(prefix):
                    response._csp_update = update
                    break
        return response
