"""Forms of certification (Persijilan) and the public check."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation (shown on the public check)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReissueForm(forms.Form):
    holder_name = forms.CharField(label=_("Holder's name as it must be printed"), max_length=200)
    reason = forms.CharField(
        label=_("Reason for the re-issue"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CheckForm(forms.Form):
    """The public check: a certificate number, and optionally an identity number to confirm."""

    no = forms.CharField(label=_("Certificate number"), max_length=60, required=False)
    id_number = forms.CharField(
        label=_("Holder's identity number (MyKad), to confirm it matches"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def clean_id_number(self):
        value = self.cleaned_data["id_number"]
        if not value:
            return ""
        digits = rules.normalise_id(value)
        if digits is None:
            raise forms.ValidationError(_("Type the 12 digits of the identity number."))
        return digits


class StatisticsForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]
