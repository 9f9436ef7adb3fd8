"""The executive report's question: which tier, which year, printed or exported."""

from django import forms
from django.utils.translation import gettext_lazy as _

FORMATS = ("csv", "xlsx", "pdf")


class ExecutiveForm(forms.Form):
    """``?year=&state=|sector=|centre=&format=``: at most one tier; every mistake named."""

    year = forms.CharField(label=_("Year"), required=False, max_length=30)
    state = forms.CharField(label=_("State"), required=False, max_length=20)
    sector = forms.CharField(label=_("Sector"), required=False, max_length=20)
    centre = forms.CharField(label=_("Accredited centre"), required=False, max_length=20)
    format = forms.CharField(label=_("Format"), required=False, max_length=10)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years

    def clean_year(self):
        value = self.cleaned_data["year"].strip()
        if not value:
            return self.years[0]
        if not (value.isascii() and value.isdigit()) or int(value) not in self.years:
            raise forms.ValidationError(
                _("The year must be one of %(first)s to %(last)s.")
                % {"first": self.years[-1], "last": self.years[0]}
            )
        return int(value)

    def _code(self, name):
        value = self.cleaned_data[name].strip()
        if "\x00" in value or not value.isprintable():
            raise forms.ValidationError(_("This code has characters no code has."))
        return value

    def clean_state(self):
        return self._code("state")

    def clean_sector(self):
        return self._code("sector")

    def clean_centre(self):
        return self._code("centre")

    def clean_format(self):
        value = self.cleaned_data["format"].strip().lower()
        if value and value not in FORMATS:
            raise forms.ValidationError(_("The format must be csv, xlsx or pdf."))
        return value

    def clean(self):
        data = super().clean()
        given = [name for name in ("state", "sector", "centre") if data.get(name)]
        if len(given) > 1:
            raise forms.ValidationError(
                _("Choose one of state, sector or centre: the report is of one tier.")
            )
        data["tier"] = (given[0], data[given[0]]) if given else ("nation", "")
        return data
