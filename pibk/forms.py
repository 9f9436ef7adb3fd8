from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import PibkYear


class RegisterForm(forms.Form):
    file = forms.FileField(
        label=_("Register file (CSV or Excel .xlsx)"),
        help_text=_("One row per pupil. Siblings share the family identifier."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class ActivityDateForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), required=False)


class CountsForm(forms.Form):
    """Counts entered directly by a school without a register; locked activities are disabled."""

    families = forms.IntegerField(label=_("Families in the school"), min_value=0, required=False)
    volunteers = forms.IntegerField(
        label=_("Volunteering families (each once)"), min_value=0, required=False
    )

    def __init__(self, *args, year, locked=(), kpi2_locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        for code in rules.CODES:
            disabled = code in locked
            self.fields[f"held_on_{code}"] = forms.DateField(
                label=_("Held on"), required=False, disabled=disabled,
                widget=forms.DateInput(attrs={"type": "date"}),
            )  # fmt: skip
            self.fields[f"expected_{code}"] = forms.IntegerField(
                label=_("Expected"), min_value=0, required=False, disabled=disabled
            )
            self.fields[f"attended_{code}"] = forms.IntegerField(
                label=_("Attended"), min_value=0, required=False, disabled=disabled
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


class ReviewForm(forms.Form):
    window = forms.ChoiceField(choices=list(rules.WINDOW_NAMES.items()))
    decision = forms.ChoiceField(
        choices=[("verified", _("Verify")), ("returned", _("Return with a comment"))]
    )
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    window = forms.ChoiceField(choices=list(rules.WINDOW_NAMES.items()))
    until = forms.DateField(label=_("Open until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class TargetsForm(forms.ModelForm):
    class Meta:
        model = PibkYear
        fields = ["kpi1_target", "kpi2_target", "kpi2_goal", "kpi2_goal_year"]
