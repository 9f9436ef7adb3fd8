"""Forms of personnel (Modul Personel): the application, the renewal, the body's acts."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import files
from .. import personnel_rules as prules
from ..models import Sector

TEXT_MAX = 2000
YEARS_MAX = 60


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files at once (each checked by ``skills.files`` in the service)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        uploads = [u for u in uploads if u]
        if len(uploads) > files.MAX_FILES:
            raise forms.ValidationError(_("At most %(n)s files.") % {"n": files.MAX_FILES})
        return [super(EvidenceField, self).clean(u, initial) for u in uploads]


def _evidence_help():
    return _("PDF, JPG or PNG, up to %(mb)s MB each, at most %(n)s files.") % {
        "mb": files.MAX_BYTES // (1024 * 1024), "n": files.MAX_FILES,
    }  # fmt: skip


class ApplyForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Serve as"), choices=prules.ROLE_CHOICES, widget=forms.RadioSelect
    )
    standards = forms.CharField(
        label=_("Standards (NOSS codes)"), max_length=400,
        help_text=_("One or more codes, separated by commas or new lines, e.g. J620-003-3:2021. "
                    "Each code carries its level."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    sector = forms.ModelChoiceField(
        label=_("Field of your own skills qualification"), queryset=Sector.objects.none()
    )
    held_level = forms.TypedChoiceField(
        label=_("Its level"), coerce=int, choices=prules.LEVEL_CHOICES
    )
    industry_years = forms.IntegerField(
        label=_("Years of experience in the industry"), min_value=0, max_value=YEARS_MAX
    )
    pp_years = forms.IntegerField(
        label=_("Years as an assessor (PP)"), min_value=0, max_value=YEARS_MAX, initial=0,
        help_text=_("Needed for an external verifier (PPL)."),
    )  # fmt: skip
    qualifications = forms.CharField(
        label=_("Your qualifications"), max_length=TEXT_MAX,
        help_text=_("Certificates held (SKM, DKM, DLKM, others) with their years, and your "
                    "work in the field."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    evidence = EvidenceField(label=_("Evidence files"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.order_by("code")
        self.fields["sector"].label_from_instance = lambda s: f"{s.code} {s.name_ms}"
        self.fields["evidence"].help_text = _evidence_help()

    def clean_standards(self):
        text = self.cleaned_data["standards"].replace("\n", ",").replace(";", ",")
        codes = [c.strip().upper() for c in text.split(",") if c.strip()]
        if not codes:
            raise forms.ValidationError(_("Name at least one standard."))
        if len(codes) > prules.MAX_STANDARDS:
            raise forms.ValidationError(
                _("Name at most %(n)s standards in one application.") % {"n": prules.MAX_STANDARDS}
            )
        return codes


class RenewForm(forms.Form):
    note = forms.CharField(
        label=_("Your work as PP or PPL since the approval"), max_length=TEXT_MAX,
        help_text=_("The intakes you assessed or verified, courses attended."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    evidence = EvidenceField(label=_("Evidence files"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _evidence_help()


class ActForm(forms.Form):
    """One act of the body on one standard of an application."""

    act = forms.ChoiceField(choices=[(a, a) for a in prules.ACTS], widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=TEXT_MAX)
    course = forms.CharField(label=_("Induction course"), required=False, max_length=200)
    induction_on = forms.DateField(label=_("Attended on"), required=False)
