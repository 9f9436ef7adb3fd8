"""Forms of training: intakes, trainees, results, verification (skills/views/training.py)."""

import datetime

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from ssqs_portal import tabular

from . import rules

MAX_UPLOAD = 1024 * 1024  # a list of 1,000 trainees is about 60 KB as CSV
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Dates the portal can store and people mean: not year 1 nor 9999.
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


def date_field(label, **kwargs):
    return forms.DateField(
        label=label,
        widget=DATE,
        validators=[
            lambda d: _check_range(d, label),
        ],
        **kwargs,
    )


def _check_range(day, label):
    if not EARLIEST <= day <= LATEST:
        raise forms.ValidationError(
            _("%(field)s: a date between %(first)s and %(last)s.")
            % {"field": label, "first": EARLIEST.isoformat(), "last": LATEST.isoformat()}
        )


def no_nul(value):
    if "\x00" in (value or ""):
        raise forms.ValidationError(_("The text has a NUL character: retype it."))


class IntakeForm(forms.Form):
    accreditation = forms.ModelChoiceField(
        label=_("Accredited programme"), queryset=None, empty_label=None
    )
    code = forms.CharField(
        label=_("Intake code"),
        max_length=30,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9/._-]*$",
                _("Letters, digits and / . _ - only, starting with a letter or digit."),
            )
        ],
        help_text=_("For example 2026/01."),
    )
    starts_on = date_field(_("Starts on"))
    ends_on = date_field(_("Ends on"))

    def __init__(self, *args, accreditations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accreditation"].queryset = accreditations
        self.fields["accreditation"].label_from_instance = lambda a: (
            f"{a.standard.code} {a.standard.title_ms} ({a.get_mode_display()})"
        )


class TraineeForm(forms.Form):
    id_number = forms.CharField(
        label=_("Identity number (MyKad)"),
        max_length=20,
        help_text=_("12 digits, with or without dashes."),
    )
    name = forms.CharField(label=_("Name"), max_length=200, validators=[no_nul])
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)

    def clean_id_number(self):
        digits = rules.normalise_id(self.cleaned_data["id_number"])
        if digits is None:
            raise forms.ValidationError(_("Type the 12 digits of the identity number."))
        return digits


class TraineeListForm(forms.Form):
    file = forms.FileField(
        label=_("Trainee list (CSV or Excel .xlsx)"),
        help_text=_("Columns id_number, name, email (e-mail optional); one row per trainee."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        refusal = tabular.upload_refusal(upload, max_bytes=MAX_UPLOAD)
        if refusal:
            raise forms.ValidationError(refusal)
        return upload


class BatchForm(forms.Form):
    """The date and evidence note a grid of results shares."""

    assessed_on = date_field(_("Assessed on"))
    evidence = forms.CharField(
        label=_("Evidence note"), required=False, max_length=2000, validators=[no_nul],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Applies to every result changed in this grid."),
    )  # fmt: skip


class AssignForm(forms.Form):
    verifier = forms.ModelChoiceField(label=_("External verifier (PPL)"), queryset=None)

    def __init__(self, *args, verifiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verifier"].queryset = verifiers
        self.fields["verifier"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.username})"
        )


class VerifyForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Trainees checked"),
        choices=[("all", _("Every trainee")), ("sample", _("A sample (tick them below)"))],
        widget=forms.RadioSelect,
        initial="all",
    )
    sample = forms.TypedMultipleChoiceField(
        label=_("Sample"),
        required=False,
        coerce=int,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )
    findings = forms.CharField(
        label=_("Findings"), required=False, max_length=5000, validators=[no_nul],
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (rules.APPROVED, _("Approve: the results are verified")),
            (rules.INTAKE_RETURNED, _("Return to the centre with comments")),
        ],
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label=_("Comments to the centre"), required=False, max_length=5000, validators=[no_nul],
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(self, *args, enrolments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sample"].choices = [(e.pk, e.trainee.name) for e in enrolments]

    def clean(self):
        data = super().clean()
        if data.get("scope") == "sample" and not data.get("sample"):
            self.add_error("sample", _("Tick the trainees you checked."))
        if (
            data.get("decision") == rules.INTAKE_RETURNED
            and not (data.get("comments") or "").strip()
        ):
            self.add_error("comments", _("Give the comments the centre will read."))
        return data


class ResultsGrid:
    """Read the results typed on the results page into service entries, or errors.

    Grid mode: one outcome per trainee and CU (``r-<enrolment>-<unit>``); the
    cells that differ from what is kept take the shared date and evidence
    note (``BatchForm``). One trainee's mode (``trainee``): each CU also has
    its own date (``d-…``) and note (``e-…``). A blank outcome changes nothing.
    Only the intake's own trainees and CUs are read, whatever else is posted.
    """

    def __init__(self, data, *, units, rows, single: bool, today: datetime.date):
        self.data, self.units, self.rows, self.single = data, units, rows, single
        self.batch = None if single else BatchForm(data, initial={"assessed_on": today})
        self.errors: list[str] = []
        self.entries: list = []

    def is_valid(self) -> bool:
        from .services.results import OUTCOMES, Entry

        if self.data is None:
            return False
        if self.batch is not None and not self.batch.is_valid():
            self.errors += [m for messages in self.batch.errors.values() for m in messages]
            return False
        for row in self.rows:
            for unit, kept in zip(self.units, row.results, strict=True):
                key = f"{row.enrolment.pk}-{unit.pk}"
                outcome = str(self.data.get(f"r-{key}", "")).strip()
                if not outcome:
                    continue
                if outcome not in OUTCOMES:
                    self.errors.append(
                        _("%(name)s, %(unit)s: choose Competent or Not yet competent.")
                        % {"name": row.trainee.name, "unit": unit.code}
                    )
                    continue
                if self.single:
                    day = self._date(self.data.get(f"d-{key}", ""), row, unit)
                    evidence = str(self.data.get(f"e-{key}", "")).strip()
                    if day is None:
                        continue
                else:
                    if kept is not None and kept.outcome == outcome:
                        continue
                    day = self.batch.cleaned_data["assessed_on"]
                    evidence = self.batch.cleaned_data["evidence"].strip()
                self.entries.append(Entry(row.enrolment.pk, unit.pk, outcome, day, evidence))
        return not self.errors

    def _date(self, text, row, unit):
        try:
            day = datetime.date.fromisoformat(str(text).strip())
        except ValueError:
            day = None
        if day is None or not EARLIEST <= day <= LATEST:
            self.errors.append(
                _("%(name)s, %(unit)s: type the assessment date (YYYY-MM-DD).")
                % {"name": row.trainee.name, "unit": unit.code}
            )
            return None
        return day

    def table(self):
        """Return the rows as the page draws them: each with its cells (key, unit, result)."""
        return [
            {
                "row": row,
                "cells": [
                    self._cell(f"{row.enrolment.pk}-{unit.pk}", unit, result)
                    for unit, result in zip(self.units, row.results, strict=True)
                ],
            }
            for row in self.rows
        ]

    def _cell(self, key, unit, result):
        """One cell: what was typed (after a refusal) or else what is kept."""
        data = self.data or {}
        kept_day = result.assessed_on.isoformat() if result else ""
        return {
            "key": key,
            "unit": unit,
            "result": result,
            "outcome": str(data.get(f"r-{key}", "")) or (result.outcome if result else ""),
            "day": str(data.get(f"d-{key}", "")) or kept_day,
            "evidence": str(data.get(f"e-{key}", "")) or (result.evidence if result else ""),
        }
