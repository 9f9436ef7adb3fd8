"""The results area's forms: the rating and moderation grids, an absence, a transfer.

A grid posts one field per cell, named for the candidate and the construct
(``r-<candidate id>-<construct code>``; moderation ``m-...`` with its
reason ``why-...``). Names that do not match are ignored; a value that is
not a level is named by the service.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules

CELL = re.compile(r"^(?P<kind>r|m|why)-(?P<pk>[0-9]{1,9})-(?P<code>P[12]-[A-Z]{2}-[0-9])$")
VALUE_MAX_LENGTH = 500


def _cells(data, kind: str) -> dict:
    cells = {}
    for name in data:
        found = CELL.match(name)
        if found is None or found["kind"] != kind:
            continue
        value = (data.get(name) or "").replace("\x00", "").strip()[:VALUE_MAX_LENGTH]
        cells[(int(found["pk"]), found["code"])] = value
    return cells


def rating_levels(data) -> dict:
    """Return {(candidate id, construct): level} of the grid's chosen cells (not empty ones)."""
    return {key: value for key, value in _cells(data, "r").items() if value}


def moderation_changes(data) -> dict:
    """Return {(candidate id, construct): (level, reason)} of the moderation grid's chosen cells."""
    reasons = _cells(data, "why")
    return {key: (value, reasons.get(key, "")) for key, value in _cells(data, "m").items() if value}


class AbsenceForm(forms.Form):
    instrument = forms.ChoiceField(
        label=_("Instrument"),
        choices=[(c, rules.INSTRUMENT_NAMES[c]) for c in rules.INSTRUMENTS],
        error_messages={
            "required": _("Choose ProKhas 1 or ProKhas 2."),
            "invalid_choice": _("Choose ProKhas 1 or ProKhas 2."),
        },
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the candidate withdrawn?"),
        max_length=rules.WITHDRAW_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Write why the candidate is withdrawn."),
            "max_length": _("Keep the reason under %(limit_value)d characters."),
        },
    )


class TransferForm(forms.Form):
    id_number = forms.CharField(
        label=_("Identity number (MyKid)"),
        max_length=20,
        error_messages={
            "required": _("Type the candidate's identity number."),
            "max_length": _("An identity number has 12 digits (dashes allowed)."),
        },
    )

    def clean_id_number(self):
        digits = rules.normalise_id(self.cleaned_data["id_number"])
        if digits is None:
            raise forms.ValidationError(_("An identity number has 12 digits (dashes allowed)."))
        return digits
