"""The quality-assurance visit form (seed 6.2-6.7); the rules themselves are in ``rules``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules


class QaVisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=list(rules.QA_KIND_NAMES.items()))
    level = forms.ChoiceField(label=_("Level"), choices=list(rules.QA_LEVEL_NAMES.items()))
    visited_on = forms.DateField(
        label=_("Date of the visit"), widget=forms.DateInput(attrs={"type": "date"})
    )
    visitor = forms.CharField(label=_("Visitor's name"), max_length=150)
    visitor_role = forms.ChoiceField(
        label=_("Visitor's role"),
        choices=[(code, name) for code, (name, _level) in rules.QA_ROLES.items()],
    )
    findings = forms.CharField(
        label=_("Findings"), max_length=rules.MAX_QA_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    follow_up = forms.CharField(
        label=_("Follow-up"), max_length=rules.MAX_QA_TEXT, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
