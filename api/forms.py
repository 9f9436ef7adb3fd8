from django import forms
from django.utils.translation import gettext_lazy as _

from core.people import roles

from . import keys


class KeyCreateForm(forms.Form):
    name = forms.CharField(
        label=_("System"), max_length=80, help_text=_("The outside system the key is for.")
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=40,
        help_text=_("KPM for the nation, or a state or district code."),
    )
    programmes = forms.MultipleChoiceField(
        label=_("Programmes"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(p, roles.PROGRAMME_NAMES[p]) for p in keys.PROGRAMMES],
        help_text=_("None ticked: every programme an officer follows."),
    )
