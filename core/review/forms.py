from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules
from .services import COMMENT_MAX_LENGTH

YES = ("1", "yes", "true", "on")


class ActForm(forms.Form):
    """An act on a school's data: an officer's verify or return (``decision``) or reopen,
    the school's submit.

    ``act`` fixes the act (reopening, submitting); otherwise ``decision``
    chooses. A programme with windows asks which one.
    """

    decision = forms.ChoiceField(
        choices=[(rules.VERIFY, _("Verify")), (rules.RETURN, _("Return with a comment"))],
        required=False,
        error_messages={"invalid_choice": _("Choose verify or return.")},
    )
    window = forms.ChoiceField(label=_("Window"), required=False)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=COMMENT_MAX_LENGTH)
    until = forms.DateField(label=_("Open until"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)
    confirm = forms.CharField(required=False)

    def __init__(self, *args, act=None, windows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.act = act
        self.windows = dict(windows or {})
        self.fields["window"].choices = list(self.windows.items())
        self.fields["window"].required = bool(self.windows)
        self.fields["window"].error_messages["required"] = _("Choose a collection window.")
        self.fields["window"].error_messages["invalid_choice"] = _("Choose a collection window.")
        if act == rules.REOPEN:
            self.fields["until"].required = True
            self.fields["until"].error_messages["required"] = _(
                "Give the date it stays open until."
            )
        elif act is None:
            self.fields["decision"].required = True
            self.fields["decision"].error_messages["required"] = _("Choose verify or return.")

    def clean(self):
        data = super().clean()
        data["act"] = self.act or data.get("decision")
        data["confirmed"] = (data.get("confirm") or "").lower() in YES
        data["window"] = data.get("window") or ""
        return data

    def error_text(self) -> str:
        """Return every error in one line, each naming its field where that helps."""
        named = {"comment", "until", "reason"}
        return " ".join(
            f"{self.fields[name].label}: {error}" if name in named else str(error)
            for name, errors in self.errors.items()
            for error in errors
        )
