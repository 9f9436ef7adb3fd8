"""What a posted domain form means: validation and completeness.

Pure: the domain's questions and the posted lists of strings in; cleaned
values, errors per question, and unknown codes out. No database.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

IGNORED_KEYS = {"csrfmiddlewaretoken", "save", "next"}


@dataclass
class CleanedDomain:
    values: dict = field(default_factory=dict)  # code -> stored value (None = blank)
    errors: dict = field(default_factory=dict)  # code -> message
    unknown: list = field(default_factory=list)  # posted codes not in this domain

    @property
    def is_valid(self):
        return not self.errors and not self.unknown


def clean_value(question, raw: list[str]):
    """Return (stored value or None, error message or None) for one question."""
    if any("\x00" in v for v in raw if v is not None):
        # PostgreSQL cannot store a NUL character in text or JSON.
        return None, _(
            "The answer contains a NUL character (\\0), which cannot be saved; remove it."
        )
    raw = [v.strip() for v in raw if v is not None and v.strip() != ""]
    if not raw:
        return None, None
    if question.type in ("single", "yesno"):
        if len(raw) > 1 or question.option(raw[0]) is None:
            return None, _("'%(value)s' is not one of this question's options") % {
                "value": ", ".join(raw)
            }
        return raw[0], None
    if question.type == "multiple":
        unknown = [v for v in raw if question.option(v) is None]
        if unknown:
            return None, _("'%(value)s' is not one of this question's options") % {
                "value": ", ".join(unknown)
            }
        order = [o.value for o in question.options]
        return sorted(set(raw), key=order.index), None
    if question.type == "number":
        if len(raw) > 1:
            return None, _("Give one number.")
        text = raw[0].replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None, _("'%(value)s' is not a number") % {"value": raw[0]}
        if not number.is_finite():
            return None, _("'%(value)s' is not a number") % {"value": raw[0]}
        if question.min is not None and number < question.min:
            return None, _("%(value)s is below the smallest allowed, %(min)s") % {
                "value": raw[0],
                "min": question.min,
            }
        if question.max is not None and number > question.max:
            return None, _("%(value)s is above the largest allowed, %(max)s") % {
                "value": raw[0],
                "max": question.max,
            }
        # Plain digits as a person writes them: a whole number without its
        # decimals ("20.0" is 20), never exponent form (normalize() made 10 "1E+1").
        return (str(int(number)) if number == number.to_integral() else f"{number:f}"), None
    return " ".join(raw)[:500], None


def clean_domain(questions, post) -> CleanedDomain:
    """Clean a posted form (a QueryDict or dict of lists) for ``questions``."""
    by_code = {q.code: q for q in questions}
    result = CleanedDomain()
    for key in post:
        if key in IGNORED_KEYS or key.startswith("_"):
            continue
        if key not in by_code:
            result.unknown.append(key)
    for question in questions:
        raw = (
            post.getlist(question.code) if hasattr(post, "getlist") else post.get(question.code, [])
        )
        value, error = clean_value(question, list(raw))
        if error:
            result.errors[question.code] = error
        else:
            result.values[question.code] = value
    return result


def shown_values(post) -> dict:
    """Return the values the form showed when it was rendered (its ``_initial`` field).

    Only the questions a person changed since then are written, so two tabs
    saving the same domain each land their own answers.
    """
    try:
        shown = json.loads(post.get("_initial") or "{}")
    except (TypeError, ValueError):
        return {}
    return shown if isinstance(shown, dict) else {}


def domain_is_complete(questions, answers: dict) -> bool:
    """Return whether every mandatory question has an answer."""
    return all(answers.get(q.code) not in (None, "", []) for q in questions if q.mandatory)
