from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TagForm(forms.Form):
    tag_number = forms.CharField(
        label=_("Tag number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "placeholder": "ABCD-EFGH",
            }
        ),
        help_text=_("The 8 characters on your slip, e.g. K7QM-3XTP."),
    )


class RespondentPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("New respondent password"), widget=forms.PasswordInput, min_length=8
    )
    password2 = forms.CharField(label=_("Repeat the password"), widget=forms.PasswordInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            raise forms.ValidationError(_("The two passwords are not the same."))
        return cleaned


class ReopenForm(forms.Form):
    until = forms.DateField(label=_("Open until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until < timezone.localdate():
            raise forms.ValidationError(_("The date must be today or later."))
        return until
