"""Forms of complaints (Modul Aduan): the public form, the lookup, the body's acts."""

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .. import complaint_rules as crules
from .. import rules
from ..models import Centre, Certificate

STAMP_SALT = "skills.complaint.form"


def form_stamp(now: float | None = None) -> str:
    """The signed moment the form was served (the spam rule's clock)."""
    return signing.dumps(int(time.time() if now is None else now), salt=STAMP_SALT)


def stamp_elapsed(stamp: str, now: float | None = None) -> float | None:
    """Seconds since ``stamp`` was made (None: missing, forged or unreadable)."""
    try:
        served = signing.loads(stamp or "", salt=STAMP_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(served, int):
        return None
    return (time.time() if now is None else now) - served


def accredited_centres():
    """Active centres with an approved accreditation (the ones a complaint may name)."""
    return (
        Centre.objects.filter(is_active=True, accreditations__state=rules.APPROVED)
        .distinct()
        .only("code", "name")
        .order_by("name")
    )


class CentreChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class ComplaintForm(forms.Form):
    """Borang Aduan Masalah: anyone, logged in or not."""

    category = forms.ChoiceField(label=_("What is the complaint about?"),
                                 choices=crules.CATEGORY_CHOICES)  # fmt: skip
    centre = CentreChoice(label=_("Centre"), queryset=Centre.objects.none(), required=False,
                          to_field_name="code", empty_label=_("(choose a centre)"))  # fmt: skip
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=40,
                                         required=False)  # fmt: skip
    subject = forms.CharField(label=_("Subject"), max_length=crules.SUBJECT_MAX)
    description = forms.CharField(
        label=_("Description"), min_length=crules.DESCRIPTION_MIN,
        max_length=crules.DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 6}),
    )  # fmt: skip
    name = forms.CharField(label=_("Your name"), max_length=crules.NAME_MAX)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.RegexField(label=_("Telephone"), required=False, max_length=20,
                             regex=r"^\+?[0-9][0-9 \-]{6,18}$",
                             error_messages={"invalid": _("Type a telephone number, e.g. "
                                                          "012-345 6789.")})  # fmt: skip
    # The honeypot: hidden from people (CSS and aria-hidden), filled by robots.
    website = forms.CharField(required=False, max_length=200)
    stamp = forms.CharField(required=False, max_length=200)

    def __init__(self, *args, now: float | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now
        self.fields["centre"].queryset = accredited_centres()
        self.spam = None
        for name, field in self.fields.items():
            if name not in ("website", "stamp"):
                select = isinstance(field.widget, forms.Select)
                field.widget.attrs["class"] = "form-select" if select else "form-control"

    def clean_certificate_number(self):
        typed = self.cleaned_data.get("certificate_number", "").strip()
        if not typed:
            return None
        reference = rules.normalise_reference(typed)
        found = None
        if reference:
            found = (Certificate.objects.filter(reference=reference).only("pk", "number")
                     .first())  # fmt: skip
        if found is None:
            raise forms.ValidationError(
                _("No certificate has this number. Check it on the certificate (it starts "
                  "with JPK-), or choose another category.")
            )  # fmt: skip
        return found

    def clean(self):
        data = super().clean()
        self.spam = crules.spam_refusal(
            honeypot=(self.data.get("website") or "").strip(),
            elapsed=stamp_elapsed(self.data.get("stamp") or "", self.now),
            description=data.get("description") or "",
        )
        if self.spam:
            raise forms.ValidationError(crules.SPAM_MESSAGES[self.spam], code=self.spam)
        category = data.get("category")
        if category in crules.CENTRE_CATEGORIES and not data.get("centre"):
            self.add_error("centre", _("Choose the centre the complaint is about."))
        wants_certificate = category in crules.CERTIFICATE_CATEGORIES
        if (
            wants_certificate
            and not data.get("certificate_number")
            and ("certificate_number" not in self.errors)
        ):
            self.add_error(
                "certificate_number",
                _("Type the number of the certificate the complaint is about."),
            )
        contact_errors = "email" in self.errors or "phone" in self.errors
        if not data.get("email") and not data.get("phone") and not contact_errors:
            self.add_error("email", _("Give an e-mail address or a telephone number (or "
                                      "both) so the body can reach you."))  # fmt: skip
        return data


class LookupForm(forms.Form):
    no = forms.CharField(label=_("Reference number"), max_length=40)


YES_NO = [("", "—"), ("yes", _("Yes, upheld")), ("no", _("No, not upheld"))]


class ComplaintActForm(forms.Form):
    """One of the body's acts on a complaint (the act names which fields count)."""

    act = forms.ChoiceField(choices=[(a, a) for a in crules.HANDLER_ACTS])
    note = forms.CharField(label=_("Text"), required=False, max_length=crules.DESCRIPTION_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    assignee = forms.ModelChoiceField(label=_("Handled by"), queryset=None, required=False)
    upheld = forms.ChoiceField(label=_("Was the complaint upheld?"), choices=YES_NO,
                               required=False)  # fmt: skip

    def __init__(self, *args, handlers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = handlers
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean_upheld(self):
        value = self.cleaned_data.get("upheld")
        return {"yes": True, "no": False}.get(value)
