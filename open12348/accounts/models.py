from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from open12348.core.models import TimeStampedModel

from .roles import ROLE_CAPABILITIES, Role


class User(AbstractUser):
    """A staff account. Citizens reach the portal by phone and code, not by this table."""

    real_name = models.CharField(_("real name"), max_length=50, blank=True)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    failed_login_count = models.PositiveSmallIntegerField(_("failed logins"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

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
