from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SchoolProgress

# Long enough for a paragraph of reasons; short enough that a pasted document is refused.
COMMENT_MAX_LENGTH = 2000


class SchoolReviewForm(forms.Form):
    """An officer's decision on a school's SSQS data, with the comment the school reads."""

    decision = forms.ChoiceField(
        choices=SchoolProgress.Review.choices[1:],
        error_messages={
            "required": _("Choose verify or return."),
            "invalid_choice": _("Choose verify or return."),
        },
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=COMMENT_MAX_LENGTH)

    def error_text(self):
        """Return every error as one sentence per field, each naming its field."""
        return " ".join(
            f"{self.fields[name].label}: {error}" if name == "comment" else str(error)
            for name, errors in self.errors.items()
            for error in errors
        )
