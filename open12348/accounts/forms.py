from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class StaffLoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or password is wrong. After %(max)d wrong attempts the account is locked."),
        "locked": _("This account is locked after too many wrong passwords. Try again after %(minutes)d minutes, "
                    "or ask the security administrator to unlock it."),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            from django.conf import settings

            username = self.cleaned_data.get("username", "")
            user = User.objects.filter(username=username).only("locked_until").first()
            if user is not None and user.is_locked:
                raise forms.ValidationError(
                    self.error_messages["locked"], code="locked",
                    params={"minutes": settings.SECURITY_LOCKOUT_MINUTES},
                ) from None
            raise forms.ValidationError(
                self.error_messages["invalid_login"], code="invalid_login",
                params={"max": settings.SECURITY_LOGIN_MAX_FAILURES},
            ) from None


class SecondFactorForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, strip=True)

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())
