from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from open12348.core.fields import EncryptedTextField
from open12348.core.models import TimeStampedModel

from .roles import ROLE_CAPABILITIES, Role


class User(AbstractUser):
    """A staff account. Citizens reach the portal by phone and code, not by this table."""

    real_name = models.CharField(_("real name"), max_length=50, blank=True)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    failed_login_count = models.PositiveSmallIntegerField(_("failed logins"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    # Wrong second-factor codes in a row. Kept apart from failed_login_count, which the right
    # password resets: otherwise re-entering the password would reset the count of guessed codes.
    second_factor_failures = models.PositiveSmallIntegerField(_("failed second-factor codes"), default=0)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.real_name or self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()

    def roles(self) -> set[str]:
        cached = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = set(self.memberships.filter(is_active=True).values_list("role", flat=True))
            self._roles_cache = cached
        return cached

    def capabilities(self) -> set[str]:
        caps: set[str] = set()
        for role in self.roles():
            caps |= ROLE_CAPABILITIES.get(role, frozenset())
        return caps

    def can(self, capability: str) -> bool:
        if not self.is_active:
            return False
        return capability in self.capabilities()


class Membership(TimeStampedModel):
    """Ties a user to an organisation with a role; the organisation's region bounds what they see."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    institution = models.ForeignKey(
        "network.Institution", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "institution", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.institution} ({self.get_role_display()})"


class TotpDevice(TimeStampedModel):
    """An authenticator app holding an RFC 6238 secret (the TOTP second factor, see second_factor.py).

    A device is created unconfirmed when enrolment starts and counts only once the user has typed a
    code from it. `last_step` is the time step of the last accepted code: a code is accepted once.
    """

    user = models.OneToOneField(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="totp_device")
    secret = EncryptedTextField(_("secret"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_step = models.BigIntegerField(_("last used time step"), null=True, blank=True)

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self) -> str:
        return f"TOTP {self.user}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A single-use code for when the authenticator app is lost. Only its keyed hash is stored."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")]

    def __str__(self) -> str:
        return f"recovery code of {self.user}"
