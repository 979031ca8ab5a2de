"""Password login with failure counting and temporary lock-out (等保三级 login failure handling)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from open12348.audit.services import audit_record

from .models import User


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            User().set_password(password)  # same work as a real check, so timing does not reveal names
            audit_record(actor=None, action="auth.login", result="failure",
                         extra={"username": username[:150], "reason": "unknown_user"})
            return None
        if user.is_locked:
            audit_record(actor=None, action="auth.login", obj=user, result="denied", extra={"reason": "locked"})
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            if user.failed_login_count:
                User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
                user.failed_login_count, user.locked_until = 0, None
            audit_record(actor=user, action="auth.login", obj=user)
            return user
        self._record_failure(user)
        return None

    @staticmethod
    @transaction.atomic
    def _record_failure(user: User) -> None:
        User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
        failures = User.objects.select_for_update().values_list("failed_login_count", flat=True).get(pk=user.pk)
        audit_record(actor=None, action="auth.login", obj=user, result="failure",
                     extra={"reason": "bad_password", "failures": failures})
        if failures >= settings.SECURITY_LOGIN_MAX_FAILURES:
            until = timezone.now() + timedelta(minutes=settings.SECURITY_LOCKOUT_MINUTES)
            User.objects.filter(pk=user.pk).update(locked_until=until, failed_login_count=0)
            audit_record(actor=None, action="auth.lock", obj=user, extra={"locked_until": until.isoformat()})
