"""Forms of PPT applications (skills/views/ppt.py)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from . import files, ppt_rules, rules
from .training_forms import EARLIEST, LATEST, no_nul


class ApplicationForm(forms.Form):
    accreditation = forms.ModelChoiceField(
        label=_("Standard (the centre's accredited programme)"), queryset=None, empty_label=None
    )
    mode = forms.ChoiceField(
        label=_("Applies for"),
        choices=[
            (rules.FULL, _("The whole standard (full)")),
            (rules.MODULAR, _("Chosen competency units (modular)")),
        ],  # fmt: skip
        widget=forms.RadioSelect,
        initial=rules.FULL,
    )
    units = forms.TypedMultipleChoiceField(
        label=_("Competency units (modular only)"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    id_number = forms.CharField(
        label=_("Identity number (MyKad)"), max_length=20,
        help_text=_("12 digits, with or without dashes."),
    )  # fmt: skip
    name = forms.CharField(label=_("Name"), max_length=200, validators=[no_nul])
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    channel = forms.ChoiceField(
        label=_("Applied through"), choices=ppt_rules.CHANNEL_CHOICES, widget=forms.RadioSelect,
        initial=ppt_rules.CHANNEL_CENTRE,
    )  # fmt: skip
    agency = forms.CharField(
        label=_("Agency"), max_length=200, required=False, validators=[no_nul],
        help_text=_("The agency that sent the person, if one did."),
    )  # fmt: skip
    years = forms.IntegerField(label=_("Years of experience"), min_value=0, max_value=60)
    experience = forms.CharField(
        label=_("Work experience"), max_length=ppt_rules.EXPERIENCE_MAX, validators=[no_nul],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Where the person worked, what they did and for how long."),
    )  # fmt: skip

    def __init__(self, *args, accreditations, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accreditation"].queryset = accreditations
        self.fields["accreditation"].label_from_instance = lambda a: (
            f"{a.standard.code} {a.standard.title_ms} ({a.get_mode_display()})"
        )
        self.fields["units"].choices = [
            (u.pk, f"{u.standard.code} · {u.code} {u.title_ms}") for u in units
        ]

    def clean_id_number(self):
        digits = rules.normalise_id(self.cleaned_data["id_number"])
        if digits is None:
            raise forms.ValidationError(
                _("Type the 12 digits of the identity number (dashes optional).")
            )
        return digits


class EvidenceForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Competency unit (CU)"), coerce=int)
    file = forms.FileField(label=_("File"))
    description = forms.CharField(
        label=_("What it shows"), max_length=200, required=False, validators=[no_nul],
        help_text=_("For example: a supervisor's letter, photos of work done, a log book."),
    )  # fmt: skip

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, f"{u.code} {u.title_ms}") for u in units]
        # Formatted per request: at import it would stay in the import's language.
        self.fields["file"].help_text = _("PDF, JPG or PNG, at most %(n)s MB.") % {
            "n": files.MAX_BYTES // 2**20
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        files.check_upload(upload)  # the size counted first: nothing read when too big
        return upload


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is withdrawn"), max_length=ppt_rules.REASON_MAX, validators=[no_nul],
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class JudgeForm:
    """The assessor's judgement of every applied CU (``o-<cu>``, ``m-<cu>``, ``r-<cu>``,
    ``d-<cu>``); a CU left without an outcome is not judged yet."""

    def __init__(self, data, *, lines, today: datetime.date):
        self.data, self.lines, self.today = data, lines, today
        self.errors: list[str] = []
        self.judgements: list = []

    def initial(self, line):
        result, judgement = line.result, line.judgement
        return {
            "outcome": result.outcome if result else "",
            "method": judgement.method if judgement else ppt_rules.BY_EVIDENCE,
            "record": judgement.record if judgement else "",
            "date": (result.assessed_on if result else self.today).isoformat(),
        }

    def value(self, line, key):
        if self.data is None:
            return self.initial(line)[key]
        prefix = {"outcome": "o", "method": "m", "record": "r", "date": "d"}[key]
        return str(self.data.get(f"{prefix}-{line.unit.pk}", ""))

    def is_valid(self) -> bool:
        from .services.ppt import Judgement

        if self.data is None:
            return False
        for line in self.lines:
            outcome = self.value(line, "outcome").strip()
            if not outcome:
                continue
            try:
                day = datetime.date.fromisoformat(self.value(line, "date").strip())
            except ValueError:
                day = None
            if day is None or not EARLIEST <= day <= LATEST:
                self.errors.append(
                    _("%(unit)s: type the date it was judged (YYYY-MM-DD).")
                    % {"unit": line.unit.code}
                )
                continue
            self.judgements.append(
                Judgement(
                    line.unit.pk,
                    outcome,
                    self.value(line, "method").strip(),
                    self.value(line, "record"),
                    day,
                )  # fmt: skip
            )
        return not self.errors
