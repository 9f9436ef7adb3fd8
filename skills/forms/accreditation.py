"""Forms of accreditation (Pentauliahan): the centre's application and the body's decisions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import rules
from ..models import Accreditation

TEXT_MAX = 2000


class ApplyForm(forms.Form):
    """An application to run ``standard``: full, or modular with its chosen CUs."""

    mode = forms.ChoiceField(
        label=_("Programme"), choices=Accreditation.Mode.choices, widget=forms.RadioSelect,
        initial=rules.FULL,
    )  # fmt: skip
    units = forms.TypedMultipleChoiceField(
        label=_("Competency units (modular)"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    note = forms.CharField(
        label=_("Note to the body"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(self, *args, standard, **kwargs):
        super().__init__(*args, **kwargs)
        self.standard = standard
        self.fields["units"].choices = [
            (unit.pk, f"{unit.code} {unit.title_ms} ({unit.hours} h)")
            for unit in standard.units.all()
        ]

    def clean(self):
        data = super().clean()
        if data.get("mode") == rules.MODULAR and not data.get("units"):
            self.add_error("units", _("A modular application names at least one CU."))
        return data


class DecisionForm(forms.Form):
    """One act of the body's officer on an accreditation."""

    act = forms.ChoiceField(choices=[(act, act) for act in rules.ACCREDITATION_ACTS],
                            widget=forms.HiddenInput)  # fmt: skip
    reason = forms.CharField(label=_("Reason"), required=False, max_length=TEXT_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    conditions = forms.CharField(label=_("Conditions"), required=False, max_length=TEXT_MAX,
                                 widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    valid_from = forms.DateField(label=_("Valid from"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    expires_on = forms.DateField(label=_("Expires on"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
