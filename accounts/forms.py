from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("School code or username"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocapitalize": "characters", "autocomplete": "username"}
        ),
        help_text=_(
            "Coordinators: the school code (e.g. BBA5008). Respondents: the school "
            "code followed by R (e.g. BBA5008R)."
        ),
    )
    error_messages = {
        "invalid_login": _(
            "The school code/username or password is wrong. "
            "Both are checked; capital letters do not matter in the code."
        ),
        "inactive": _("This account is disabled."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip()

    def get_invalid_login_error(self):
        """Say so when a school's respondent account has no password yet.

        Import leaves it unusable until the coordinator sets one on the
        roster page; school codes are public, so saying this leaks nothing.
        """
        username = (self.cleaned_data.get("username") or "").strip()
        User = get_user_model()
        account = (
            User.objects.filter(username__iexact=username, role=User.Role.RESPONDENT)
            .only("password", "username")
            .first()
            if username
            else None
        )
        if account is not None and not account.has_usable_password():
            return forms.ValidationError(
                _(
                    "The respondent account %(username)s has no password yet. The school's "
                    "ICT coordinator sets it on the Respondent information page."
                ),
                code="no_password_yet",
                params={"username": account.username},
            )
        return super().get_invalid_login_error()


class PortalPasswordChangeForm(PasswordChangeForm):
    """Django's password change, refusing the old password as the new one.

    The password validators (AUTH_PASSWORD_VALIDATORS) refuse one built from
    the username or school code.
    """

    def clean(self):
        cleaned = super().clean()
        new = cleaned.get("new_password2")
        if new and "new_password2" not in self.errors and self.user.check_password(new):
            self.add_error(
                "new_password2",
                forms.ValidationError(
                    _("The new password must be different from the old password."),
                    code="password_unchanged",
                ),
            )
        return cleaned
