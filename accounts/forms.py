from django import forms
from django.contrib.auth.forms import AuthenticationForm
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
