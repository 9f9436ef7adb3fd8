import re

from django import forms
from django.utils.translation import gettext_lazy as _


class TagForm(forms.Form):
    tag_number = forms.CharField(
        label=_("Tag number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "placeholder": "ABCD-EFGH",
            }
        ),
        help_text=_("The 8 characters on your slip, e.g. K7QM-3XTP."),
    )


class RespondentPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("New respondent password"), widget=forms.PasswordInput, min_length=8
    )
    password2 = forms.CharField(label=_("Repeat the password"), widget=forms.PasswordInput)
    # Set by the "Change now" button when respondents are answering: they are logged out.
    confirm_logout = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            raise forms.ValidationError(_("The two passwords are not the same."))
        return cleaned


# A database id as typed in a form: ASCII digits only (int() also reads "١٢" and
# " 12 "), at most 18 of them so it fits a bigint, and not 0.
ID_PATTERN = re.compile(r"[0-9]{1,18}")


def parse_id(text: str) -> int | None:
    """Return the id ``text`` spells, or None if it is not a plain positive number."""
    if not isinstance(text, str) or not ID_PATTERN.fullmatch(text):
        return None
    return int(text) or None


class RemoveRespondentForm(forms.Form):
    """Which added respondent the coordinator removes from the roster."""

    respondent = forms.CharField(
        label=_("Respondent to remove"),
        max_length=40,
        strip=False,
        error_messages={"required": _("Choose the respondent to remove.")},
    )

    def clean_respondent(self):
        value = self.cleaned_data["respondent"]
        pk = parse_id(value)
        if pk is None:
            raise forms.ValidationError(
                _("'%(value)s' is not a respondent number."), params={"value": value}
            )
        return pk


class RosterNamesForm(forms.Form):
    """The names the coordinator notes against the roster's tags.

    One optional field per respondent of the school that the post names
    (``name-<id>``); any other key, such as ``name-²`` or another school's
    respondent, is not a field and is ignored.
    """

    def __init__(self, data, respondents):
        super().__init__(data)
        for pk, tag_display in respondents:
            key = f"name-{pk}"
            if key in data:
                self.fields[key] = forms.CharField(
                    label=_("Name for tag %(tag)s") % {"tag": tag_display},
                    max_length=120,
                    required=False,
                )

    def names(self) -> dict:
        """Return {respondent id: name} for a valid form."""
        return {int(key[5:]): value for key, value in self.cleaned_data.items()}

    def error_messages_list(self) -> list[str]:
        """Return each error, prefixed with the label of the field it is about."""
        return [
            f"{self.fields[key].label}: {' '.join(errors)}"
            if key in self.fields
            else " ".join(errors)
            for key, errors in self.errors.items()
        ]
