"""Forms of facilities (Kemudahan): the centre's declaration, the body's check, the checklist."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import facility_rules as frules

IN_PLACE = [("yes", _("In place")), ("no", _("Not in place"))]
FINDINGS = [(frules.CONFIRMED, _("Confirm")), (frules.REJECTED, _("Reject"))]


class DeclarationForm(forms.Form):
    """One pair of fields an item of the checklist: in place or not, and how."""

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = [i["code"] for i in items]
        for code in self.codes:
            self.fields[f"in_place-{code}"] = forms.ChoiceField(
                choices=IN_PLACE, required=False, widget=forms.RadioSelect
            )
            self.fields[f"how-{code}"] = forms.CharField(
                required=False, max_length=frules.NOTE_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip

    def answers(self) -> dict:
        """{code: (in place: True/False/None, how)} of what was sent."""
        data = self.cleaned_data
        return {code: ({"yes": True, "no": False}.get(data.get(f"in_place-{code}")),
                       data.get(f"how-{code}", ""))
                for code in self.codes}  # fmt: skip


class CheckForm(forms.Form):
    """The body's findings on a visit: the day, a note, and a finding an item in place."""

    visited_on = forms.DateField(label=_("Day of the visit"),
                                 widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    note = forms.CharField(label=_("Note on the visit (shown to the centre)"), required=False,
                           max_length=frules.NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = [i.code for i in items if i.in_place]
        for code in self.codes:
            self.fields[f"finding-{code}"] = forms.ChoiceField(
                choices=FINDINGS, required=False, widget=forms.RadioSelect
            )
            self.fields[f"finding_note-{code}"] = forms.CharField(
                required=False, max_length=frules.NOTE_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip
        self.fields["visited_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def findings(self) -> dict:
        data = self.cleaned_data
        return {code: (data.get(f"finding-{code}") or None, data.get(f"finding_note-{code}", ""))
                for code in self.codes}  # fmt: skip


class ChecklistUploadForm(forms.Form):
    file = forms.FileField(label=_("Checklist file (YAML)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > frules.MAX_CHECKLIST_BYTES:  # the size before reading it
            raise forms.ValidationError(
                _("The file is larger than %(n)s KB.") % {"n": frules.MAX_CHECKLIST_BYTES // 1024}
            )
        return upload
