"""Accounts in the Django admin: lock state and unlocking, second-factor reset, account creation and
role grants through accounts/services.py, so the password policy and 三员分立 hold here as everywhere.

The admin's own login page is replaced by the two-step staff sign-in (views.admin_login)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from open12348.audit.services import audit_record
from open12348.core.admin import CapabilityAdmin, admin_allowed, dry_run

from . import views
from .models import Membership, TotpDevice, User
from .roles import Capability
from .services import membership_grant, membership_revoke, second_factor_reset, user_create, user_unlock

admin.site.login = views.admin_login

# --- users ---------------------------------------------------------------------------------

# Who may sign in to the admin and as what is decided by a superuser; the other fields follow
# the account's life and are never typed in.
_USER_READONLY = ("username", "is_staff", "is_superuser", "last_login", "date_joined", "password_changed_at",
                  "failed_login_count", "locked_until")
_USER_EDITABLE = ("real_name", "email", "is_active")


class UserAddForm(forms.ModelForm):
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput,
                                help_text=password_validators_help_text_html())
    password2 = forms.CharField(label=_("Password again"), strip=False, widget=forms.PasswordInput)

    class Meta:
        model = User
        fields = ("username", "real_name", "email")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
            return cleaned
        refusal = dry_run(lambda: user_create(
            actor=None, username=cleaned["username"], password=cleaned["password1"],
            real_name=cleaned.get("real_name", ""), email=cleaned.get("email", ""),
        ))
        if refusal is not None:
            self.add_error("password1" if refusal.field == "password" else refusal.field, refusal.message)
        return cleaned


@admin.register(User)
class UserAdmin(CapabilityAdmin):
    view_capability = Capability.ROLES_ASSIGN  # the security administrator sees accounts to unlock them
    add_capability = Capability.ACCOUNTS_MANAGE
    change_capability = Capability.ACCOUNTS_MANAGE
    list_display = ("username", "real_name", "is_active", "locked", "locked_until", "failed_login_count",
                    "second_factor", "password_changed_at", "last_login")
    list_filter = ("is_active", "is_staff")
    search_fields = ("username", "real_name", "email")
    ordering = ("username",)
    actions = ["unlock", "reset_second_factor"]

    def get_queryset(self, request):
        enrolled = TotpDevice.objects.filter(user=OuterRef("pk"), confirmed_at__isnull=False)
        return super().get_queryset(request).annotate(has_second_factor=Exists(enrolled))

    def has_view_permission(self, request, obj=None) -> bool:
        return admin_allowed(request, Capability.ACCOUNTS_MANAGE) or super().has_view_permission(request, obj)

    def has_unlock_permission(self, request) -> bool:
        return admin_allowed(request, Capability.ROLES_ASSIGN)

    def has_reset_second_factor_permission(self, request) -> bool:
        return admin_allowed(request, Capability.ROLES_ASSIGN)

    @admin.display(boolean=True, description=_("locked"))
    def locked(self, obj: User) -> bool:
        return obj.is_locked

    @admin.display(boolean=True, description=_("second factor"))
    def second_factor(self, obj: User) -> bool:
        return bool(getattr(obj, "has_second_factor", False))

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = UserAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("username", "real_name", "email", "password1", "password2")
        return (*_USER_EDITABLE, *_USER_READONLY)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else _USER_READONLY

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            user = user_create(actor=request.user, username=form.cleaned_data["username"],
                               password=form.cleaned_data["password1"],
                               real_name=form.cleaned_data.get("real_name", ""),
                               email=form.cleaned_data.get("email", ""))
            obj.pk = user.pk
            obj._state.adding = False
            return
        # Name, e-mail and the active flag only (see _USER_EDITABLE); recorded like any other write.
        before = User.objects.values(*form.changed_data).get(pk=obj.pk) if form.changed_data else {}
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if form.changed_data:
                audit_record(actor=request.user, action="accounts.user.update", obj=obj, changes={
                    "before": before, "after": {k: getattr(obj, k) for k in form.changed_data},
                })

    @admin.action(description=_("Unlock the selected accounts"), permissions=["unlock"])
    def unlock(self, request, queryset) -> None:
        users = list(queryset)
        for user in users:
            user_unlock(actor=request.user, user=user)
        self.message_user(request, ngettext("%(n)d account unlocked.", "%(n)d accounts unlocked.", len(users))
                          % {"n": len(users)}, messages.SUCCESS)

    @admin.action(description=_("Reset the second factor of the selected accounts"),
                  permissions=["reset_second_factor"])
    def reset_second_factor(self, request, queryset) -> None:
        users = list(queryset)
        for user in users:
            second_factor_reset(actor=request.user, user=user)
        self.message_user(request, ngettext(
            "%(n)d account will set up a new authenticator app at the next sign-in.",
            "%(n)d accounts will set up a new authenticator app at the next sign-in.", len(users),
        ) % {"n": len(users)}, messages.SUCCESS)


# --- memberships ---------------------------------------------------------------------------

class MembershipAddForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("user", "institution", "role")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        refusal = dry_run(lambda: membership_grant(
            actor=None, user=cleaned["user"], institution=cleaned["institution"], role=cleaned["role"],
        ))
        if refusal is not None:
            self.add_error(refusal.field if refusal.field in self.fields else None, refusal.message)
        return cleaned

    def validate_unique(self) -> None:
        # Granting a role the user already has (or had) is harmless: the service reuses the row.
        return None


@admin.register(Membership)
class MembershipAdmin(CapabilityAdmin):
    """Roles are granted and revoked, never edited in place (an edit could slip past 三员分立)."""

    view_capability = Capability.ACCOUNTS_MANAGE
    add_capability = Capability.ROLES_ASSIGN
    form = MembershipAddForm
    list_display = ("user", "institution", "role", "is_active", "created_at")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__real_name", "institution__name")
    list_select_related = ("user", "institution")
    raw_id_fields = ("user", "institution")
    actions = ["revoke"]

    def has_view_permission(self, request, obj=None) -> bool:
        return admin_allowed(request, Capability.ROLES_ASSIGN) or super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_revoke_permission(self, request) -> bool:
        return admin_allowed(request, Capability.ROLES_ASSIGN)

    def save_model(self, request, obj, form, change) -> None:
        membership = membership_grant(actor=request.user, user=form.cleaned_data["user"],
                                      institution=form.cleaned_data["institution"], role=form.cleaned_data["role"])
        obj.pk = membership.pk
        obj._state.adding = False

    @admin.action(description=_("Revoke the selected roles"), permissions=["revoke"])
    def revoke(self, request, queryset) -> None:
        memberships = list(queryset.select_related("user", "institution"))
        for membership in memberships:
            membership_revoke(actor=request.user, membership=membership)
        self.message_user(request, ngettext("%(n)d role revoked.", "%(n)d roles revoked.", len(memberships))
                          % {"n": len(memberships)}, messages.SUCCESS)
