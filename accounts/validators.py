"""Password rules of the portal beyond Django's own (see AUTH_PASSWORD_VALIDATORS)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SHORT = 4  # a name shorter than this may appear inside a password, not make it up


def _letters_and_digits(text: str) -> str:
    return re.sub(r"[\W_]+", "", text or "").casefold()


def names_of(user) -> list[str]:
    """Return the names a guesser knows for ``user``: the username and the school code.

    School codes are public, and the respondent account's username is the
    code plus R, so both count for every account of a school.
    """
    names = {getattr(user, "username", "") or ""}
    school = getattr(user, "school", None)
    if school is not None and getattr(school, "code", None):
        names.add(school.code)
    return [n for n in (_letters_and_digits(n) for n in names) if n]


class NotBuiltFromUsernameValidator:
    """Refuse a password built from the username or the school code.

    Ignoring case and anything but letters and digits, the password may not
    contain the username or school code (when 4 characters or more), nor be
    nothing but a shorter username repeated. "BBA8101BBA8101", "bba8101-2026"
    and "BBA8101R-Murid" are refused for school BBA8101's accounts. Django's
    UserAttributeSimilarityValidator misses these (a code twice is only 67%
    similar to the code).
    """

    def validate(self, password, user=None):
        if user is None:
            return
        text = _letters_and_digits(password)
        for name in names_of(user):
            built = name in text if len(name) >= SHORT else text.replace(name, "") == ""
            if built and text:
                raise ValidationError(
                    _(
                        "The password must not be built from the username or school code "
                        "(%(name)s)."
                    ),
                    code="password_built_from_username",
                    params={"name": name.upper()},
                )

    def get_help_text(self):
        return _("Your password must not contain your username or school code.")
