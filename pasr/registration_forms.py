"""Forms of the registration area: the exam secretary's, the head's and the board's.

The registration form's field names are interfaces.md's (PASR); the bulk
import fills the same form row by row, so a row and a form are checked alike.
"""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from . import calendar, rules

YES, NO = "yes", "no"
YES_NO = [(YES, _("Yes")), (NO, _("No"))]
PROGRAMME_CHOICES = [
    (rules.PPKI, _("Integrated special-education programme (PPKI)")),
    (rules.INCLUSIVE, _("Partial inclusive education")),
    (rules.NO_PROGRAMME, _("Neither")),
]
CURRICULUM_CHOICES = [
    (rules.KSSR_PK_MP, _("KSSR PK Masalah Pembelajaran")),
    ("other", _("Another curriculum")),
]
TAHAP_CHOICES = [("1", _("Tahap 1")), ("2", _("Tahap 2"))]
MEDICAL_CHOICES = [
    ("gov_hospital", _("Government hospital medical officer's confirmation")),
    ("private_hospital", _("Private hospital medical officer's confirmation")),
    ("oku_card", _("OKU card")),
    ("none", _("None")),
]
KH_CHOICES = [
    ("penternakan", _("Penternakan (animal husbandry)")),
    ("jahitan", _("Jahitan (sewing)")),
    ("masakan", _("Masakan (cooking)")),
    ("perkebunan", _("Perkebunan (gardening)")),
]
EARLIEST_BIRTH = datetime.date(1900, 1, 1)


class RegistrationForm(forms.Form):
    """One candidate (interfaces.md): what the rules need, and what the school keeps."""

    name = forms.CharField(label=_("Name"), max_length=150)
    id_number = forms.CharField(
        label=_("Identity number (MyKid)"),
        max_length=20,
        help_text=_("12 digits, with or without dashes: 120101-10-1234."),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    class_name = forms.CharField(label=_("Class"), max_length=40, required=False)
    programme = forms.ChoiceField(label=_("Programme"), choices=PROGRAMME_CHOICES)
    curriculum = forms.ChoiceField(label=_("Curriculum"), choices=CURRICULUM_CHOICES)
    tahap = forms.TypedChoiceField(label=_("Tahap"), choices=TAHAP_CHOICES, coerce=int)
    final_year = forms.ChoiceField(
        label=_("In the final year of primary school"), choices=YES_NO,
        widget=forms.RadioSelect,
    )  # fmt: skip
    medical = forms.ChoiceField(label=_("Medical confirmation"), choices=MEDICAL_CHOICES)
    mainstream_exam = forms.ChoiceField(
        label=_("Registered for the mainstream examination"), choices=YES_NO,
        widget=forms.RadioSelect,
    )  # fmt: skip
    kh_component = forms.ChoiceField(
        label=_("Kemahiran Hidup component (one of four)"), choices=KH_CHOICES
    )
    private_candidate = forms.ChoiceField(
        label=_("Private candidate (calon persendirian)"), choices=YES_NO, required=False,
        initial=NO, widget=forms.RadioSelect,
    )  # fmt: skip

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_class_name(self):
        return " ".join(self.cleaned_data["class_name"].split())

    def clean_id_number(self):
        digits = rules.normalise_id(self.cleaned_data["id_number"])
        if digits is None:
            raise forms.ValidationError(
                _("An identity number has 12 digits (dashes allowed), e.g. 120101-10-1234.")
            )
        return digits

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born < EARLIEST_BIRTH or born > calendar.today():
            raise forms.ValidationError(
                _("Give a date of birth between %(first)s and today.")
                % {"first": EARLIEST_BIRTH.isoformat()}
            )
        return born

    def clean_private_candidate(self):
        return self.cleaned_data.get("private_candidate") or NO

    def applicant(self) -> rules.Applicant:
        data = self.cleaned_data
        return rules.Applicant(
            date_of_birth=data["date_of_birth"],
            programme=data["programme"],
            curriculum=data["curriculum"],
            tahap=data["tahap"],
            final_year=data["final_year"] == YES,
            medical=data["medical"],
            mainstream_exam=data["mainstream_exam"] == YES,
            private_candidate=data["private_candidate"] == YES,
        )

    def candidate_fields(self) -> dict:
        """Return the Candidate's fields from the form."""
        data = self.cleaned_data
        return {
            "id_number": data["id_number"],
            "name": data["name"],
            "date_of_birth": data["date_of_birth"],
            "class_name": data["class_name"],
            "programme": data["programme"],
            "curriculum": data["curriculum"],
            "tahap": data["tahap"],
            "final_year": data["final_year"] == YES,
            "medical": data["medical"],
            "mainstream_exam": data["mainstream_exam"] == YES,
            "kh_component": data["kh_component"],
        }

    def stored(self) -> dict:
        """Return the form's data as text, as an override request keeps it (JSON)."""
        data = self.cleaned_data
        return {
            name: (value.isoformat() if isinstance(value, datetime.date) else str(value))
            for name, value in data.items()
        }


class OverrideAskForm(RegistrationForm):
    """The same form, and the school's note to the board."""

    note = forms.CharField(
        label=_("Note to the examinations board"), max_length=2000, widget=forms.Textarea(
            attrs={"rows": 3}
        ),
        help_text=_("Why this pupil should sit PASR although a rule is not met."),
    )  # fmt: skip


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Candidate list (CSV or Excel .xlsx)"),
        help_text=_("One row per candidate; the columns are the registration form's fields."),
    )

    def clean_file(self):
        from ssqs_portal import tabular

        from .importing import MAX_UPLOAD

        upload = self.cleaned_data["file"]
        refusal = tabular.upload_refusal(upload, max_bytes=MAX_UPLOAD)
        if refusal:
            raise forms.ValidationError(refusal)
        return upload


WINDOW_CHOICES = [(code, rules.WINDOW_NAMES[code]) for code in rules.WINDOWS]


class WindowForm(forms.Form):
    window = forms.ChoiceField(label=_("Window"), choices=WINDOW_CHOICES)
    opens = forms.DateField(
        label=_("Opens"), input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip
    closes = forms.DateField(
        label=_("Closes (last day)"), input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with the change and shown in the history."),
    )  # fmt: skip


class ResultsDueForm(forms.Form):
    due = forms.DateField(
        label=_("Results due (last day)"), input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


MAX_INSTRUMENT = 20 * 1024 * 1024  # bytes; a ProKhas booklet is a few MB


class InstrumentForm(forms.Form):
    instrument = forms.ChoiceField(
        label=_("Instrument"), choices=[(c, rules.INSTRUMENT_NAMES[c]) for c in rules.INSTRUMENTS]
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    document = forms.FileField(label=_("Document (PDF, at most 20 MB)"))

    def clean_document(self):
        upload = self.cleaned_data["document"]
        # The size the upload handler counted: nothing is read when it is too big.
        if upload.size > MAX_INSTRUMENT:
            raise forms.ValidationError(
                _("The document is larger than %(n)s MB.") % {"n": MAX_INSTRUMENT // 2**20}
            )
        upload.seek(0)
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("The document is not a PDF file."))
        return upload


class DecisionForm(forms.Form):
    APPROVE, DECLINE = "approve", "decline"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Override and register")), (DECLINE, _("Decline"))],
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to the school, and on the candidate's row if overridden."),
    )  # fmt: skip

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Write the reason for the decision."))
        return reason


class VerifyForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)
