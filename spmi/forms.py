"""SPMI's forms: field checks only; the rules are in ``rules`` and the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules
from .evidence import EvidenceField

TEXT = 4000


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Rating"), choices=rules.LEVEL_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    evidence = forms.CharField(
        label=_("Evidence"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
    justification = forms.CharField(
        label=_("Justification (where your rating differs from the data)"),
        max_length=TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    priority = forms.BooleanField(label=_("A priority for the improvement plan"), required=False)
    file = EvidenceField()


class ActionForm(forms.Form):
    indicator = forms.TypedChoiceField(label=_("Criterion and indicator measured"), coerce=int)
    goal = forms.CharField(
        label=_("Goal"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
    baseline = forms.DecimalField(
        label=_("Baseline (only for an indicator shown with the school's own evidence)"),
        max_digits=7,
        decimal_places=2,
        required=False,
        min_value=0,
        max_value=99999,
    )
    baseline_source = forms.CharField(
        label=_("Baseline source (only for an evidence indicator)"), max_length=200, required=False
    )
    target = forms.DecimalField(
        label=_("Target"), max_digits=7, decimal_places=2, min_value=0, max_value=99999
    )
    target_date = forms.DateField(
        label=_("Target date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    implements = forms.CharField(label=_("Who implements"), max_length=200)
    assists = forms.CharField(label=_("Who assists"), max_length=200, required=False)
    oversees = forms.CharField(label=_("Who oversees"), max_length=200)
    resources = forms.CharField(
        label=_("Resources"),
        max_length=TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    success = forms.CharField(
        label=_("Success criterion"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "—")] + list(indicators)


class ProgressForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("What was done"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.CharField(
        label=_("Evidence"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = EvidenceField()


class CloseForm(forms.Form):
    evidence = forms.CharField(
        label=_("Evidence that the action was carried out"),
        max_length=TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    remeasured = forms.DecimalField(
        label=_("Re-measured figure (an evidence indicator; a portal figure re-measures itself)"),
        max_digits=7,
        decimal_places=2,
        required=False,
        min_value=0,
        max_value=99999,
    )
    review = forms.CharField(
        label=_("Review"), max_length=TEXT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
