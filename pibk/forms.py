from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ssqs_portal import tabular

from . import rules
from .models import PibkYear

MAX_UPLOAD = 5 * 1024 * 1024  # a full register (20,000 pupils) is about 2 MB as CSV


class RegisterForm(forms.Form):
    file = forms.FileField(
        label=_("Register file (CSV or Excel .xlsx)"),
        help_text=_("One row per pupil. Siblings share the family identifier."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        refusal = tabular.upload_refusal(upload, max_bytes=MAX_UPLOAD)
        if refusal:
            raise forms.ValidationError(refusal)
        return upload


class ActivityDateForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), required=False)


def count_field(label, named=None, **kwargs):
    """A count of families a school types: 0 to rules.MAX_FAMILIES.

    Its messages start with ``named`` (default: the label), so each says which field is wrong.
    """
    named = named or label
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=rules.MAX_FAMILIES,
        required=False,
        error_messages={
            "max_value": format_lazy(
                "{}: {}", named, _("at most %(limit_value)s (a school has no more families).")
            ),
            "min_value": format_lazy("{}: {}", named, _("cannot be below zero.")),
            "invalid": format_lazy("{}: {}", named, _("enter a whole number.")),
        },
        **kwargs,
    )


class CountsForm(forms.Form):
    """Counts entered directly by a school without a register; locked activities are disabled."""

    families = count_field(_("Families in the school"))
    volunteers = count_field(_("Volunteering families (each once)"))

    def __init__(self, *args, year, locked=(), kpi2_locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        for code in rules.CODES:
            disabled = code in locked
            self.fields[f"held_on_{code}"] = forms.DateField(
                label=_("Held on"), required=False, disabled=disabled,
                widget=forms.DateInput(attrs={"type": "date"}),
            )  # fmt: skip
            for part, label in (("expected", _("Expected")), ("attended", _("Attended"))):
                self.fields[f"{part}_{code}"] = count_field(
                    label,
                    format_lazy("{}, {}", rules.ACTIVITIES[code], label),
                    disabled=disabled,
                )
        for name in ("families", "volunteers"):
            self.fields[name].disabled = kpi2_locked

    def rows(self):
        for code, name in rules.ACTIVITIES.items():
            yield (
                code,
                name,
                [self[f"{part}_{code}"] for part in ("held_on", "expected", "attended")],
            )

    def clean(self):
        data = super().clean()
        for code, name in rules.ACTIVITIES.items():
            expected = data.get(f"expected_{code}") or 0
            attended = data.get(f"attended_{code}") or 0
            held = data.get(f"held_on_{code}")
            if attended > expected:
                self.add_error(
                    f"attended_{code}",
                    _("%(activity)s: %(attended)s attended is more than the %(expected)s expected.")
                    % {"activity": name, "attended": attended, "expected": expected},
                )
            if held and held.year != self.year:
                self.add_error(
                    f"held_on_{code}",
                    _("%(activity)s: the date must be in %(year)s.")
                    % {"activity": name, "year": self.year},
                )
            if attended and not held:
                self.add_error(
                    f"held_on_{code}",
                    _("%(activity)s: give the date it was held.") % {"activity": name},
                )
        families, volunteers = data.get("families") or 0, data.get("volunteers") or 0
        if volunteers > families:
            self.add_error(
                "volunteers",
                _("%(v)s volunteering families is more than the %(f)s families in the school.")
                % {"v": volunteers, "f": families},
            )
        return data


class SearchForm(forms.Form):
    """The search box of a coordinator's list: text a database can take (CharField refuses NUL)."""

    q = forms.CharField(required=False)


class TargetsForm(forms.ModelForm):
    class Meta:
        model = PibkYear
        fields = ["kpi1_target", "kpi2_target", "kpi2_goal", "kpi2_goal_year"]

    def clean_kpi2_goal_year(self):
        year = self.cleaned_data["kpi2_goal_year"]
        if not rules.FIRST_YEAR <= year <= rules.LAST_YEAR:
            raise forms.ValidationError(
                _("The goal year must be between %(first)s and %(last)s.")
                % {"first": rules.FIRST_YEAR, "last": rules.LAST_YEAR}
            )
        return year
