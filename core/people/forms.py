from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import roles
from .models import RoleGrant
from .services import username_check

SCHOOL_ROLE_CHOICES = [(r, label) for r, label in RoleGrant.Role.choices if r in roles.SCHOOL_ROLES]


class _PasswordPair(forms.Form):
    password1 = forms.CharField(
        label=_("First password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Give it to the person: they must change it at their first login."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return cleaned


class StaffCreateForm(_PasswordPair):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("Name"), max_length=150)
    last_name = forms.CharField(label=_("Surname"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    roles = forms.MultipleChoiceField(
        label=_("Roles in this school"),
        choices=SCHOOL_ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = ["username", "first_name", "last_name", "email", "roles"]

    def clean_username(self):
        try:
            return username_check(self.cleaned_data["username"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password1")
        if password and "password2" not in self.errors:
            person = get_user_model()(
                username=cleaned.get("username") or "", first_name=cleaned.get("first_name") or ""
            )
            try:
                password_validation.validate_password(password, person)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class StaffRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=SCHOOL_ROLE_CHOICES)
    action = forms.ChoiceField(choices=[("add", _("Add")), ("remove", _("Remove"))])


class StaffPasswordForm(_PasswordPair):
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("They must change it at their next login."),
    )
