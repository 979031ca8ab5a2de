"""Account writes: creating users, granting roles, unlocking. Each is audited."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from open12348.audit.services import audit_record, snapshot
from open12348.core.errors import ApplicationError

from .models import Membership, User
from .roles import SEPARATED_ADMIN_ROLES, Role


@transaction.atomic
def user_create(*, actor, username: str, password: str, real_name: str = "", email: str = "") -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(_("This username is already taken."), code="username_taken", field="username")
    user = User(username=username, real_name=real_name, email=email, is_staff=False)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), code="weak_password", field="password") from exc
    user.set_password(password)
    user.save()
    audit_record(actor=actor, action="accounts.user.create", obj=user,
                 changes={"after": snapshot(user, ["username", "real_name", "email", "is_active"])})
    return user


@transaction.atomic
def membership_grant(*, actor, user: User, institution, role: str) -> Membership:
    """Give `user` a role in `institution`, keeping the three administrators apart (三员分立)."""
    User.objects.select_for_update().get(pk=user.pk)  # serialise concurrent grants to one user
    if role in SEPARATED_ADMIN_ROLES:
        held = set(
            Membership.objects.filter(user=user, is_active=True, role__in=SEPARATED_ADMIN_ROLES)
            .exclude(role=role)
            .values_list("role", flat=True)
        )
        if held:
            raise ApplicationError(
                _("The system, security and audit administrators must be different people; "
                  "this account is already %(role)s.") % {"role": Role(sorted(held)[0]).label},
                code="admin_roles_separated",
                field="role",
            )
    membership, created = Membership.objects.get_or_create(
        user=user, institution=institution, role=role, defaults={"is_active": True}
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active", "updated_at"])
        created = True
    if created:
        audit_record(actor=actor, action="accounts.membership.grant", obj=membership,
                     changes={"after": {"user": user.username, "institution": institution.pk, "role": role}})
    return membership


@transaction.atomic
def membership_revoke(*, actor, membership: Membership) -> None:
    if not membership.is_active:
        return
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    audit_record(actor=actor, action="accounts.membership.revoke", obj=membership,
                 changes={"before": {"is_active": True}, "after": {"is_active": False}})


@transaction.atomic
def user_unlock(*, actor, user: User) -> None:
    User.objects.filter(pk=user.pk).update(locked_until=None, failed_login_count=0)
    audit_record(actor=actor, action="auth.unlock", obj=user)


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), code="weak_password", field="password") from exc
    user.set_password(password)
    user.save(update_fields=["password", "password_changed_at"])
    audit_record(actor=actor, action="accounts.password.change", obj=user)
