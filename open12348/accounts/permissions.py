"""Capability checks for views and the API."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from open12348.audit.services import audit_record


def user_can(user, capability: str) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.can(capability)))


def require_any_capability(*capabilities: str):
    """View decorator: sign-in first, then at least one of the capabilities, else 403 with an audit row
    (for screens that more than one role opens: staff and the lawyer handling, say)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(user_can(request.user, capability) for capability in capabilities):
                audit_record(actor=request.user, action="auth.permission_denied", result="denied",
                             extra={"capability": "|".join(capabilities), "path": request.path[:200]})
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def require_capability(capability: str):
    """View decorator: sign-in first, then the capability, else 403 with an audit row."""
    return require_any_capability(capability)


class HasCapability(BasePermission):
    """DRF permission: set `required_capability` on the view."""

    def has_permission(self, request, view) -> bool:
        capability = getattr(view, "required_capability", None)
        if capability is None:
            return True
        allowed = user_can(request.user, capability)
        if not allowed and request.user.is_authenticated:
            audit_record(actor=request.user, action="auth.permission_denied", result="denied",
                         extra={"capability": capability, "path": request.path[:200]})
        return allowed
