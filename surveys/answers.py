"""What a posted domain form means: validation and completeness.

Pure: the domain's questions and the posted lists of strings in; cleaned
values, errors per question, and unknown codes out. No database.
"""

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import get_language
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


# A number as people in Malaysia write it: the decimal mark is a point, and a
# comma only groups thousands, three digits at a time ("1,234" or "12,345.5").
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
GROUPED_NUMBER = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")


class NumberError(ValueError):
    """A typed number that is refused, with the message saying why."""


def parse_number(text: str) -> Decimal:
    """Return the number ``text`` spells, or raise NumberError saying why not.

    The rule (pure; table-tested in tests/surveys/test_numbers.py):
    - the decimal mark is a point: "3.5" is three and a half;
    - a comma groups thousands, exactly three digits after each comma and
      only before the point: "1,234" is 1234, "12,345.5" is 12345.5;
    - any other comma is ambiguous and refused: "3,5" may mean 3.5 (as written
      in much of Europe and Indonesia) or 35; "1,23" or "1,2345" the same;
    - ASCII digits only, no spaces inside, not "NaN" or "Infinity"; an exponent
      ("1e1" is 10) of at most three digits, so no one can post a number of
      a billion digits.
    """
    text = text.strip()
    if PLAIN_NUMBER.fullmatch(text):
        return Decimal(text)
    if GROUPED_NUMBER.fullmatch(text):
        return Decimal(text.replace(",", ""))
    if text.count(",") == 1 and "." not in text and PLAIN_NUMBER.fullmatch(text.replace(",", "")):
        raise NumberError(
            _(
                "'%(value)s' is ambiguous: the decimal mark is a point. Write %(point)s "
                "for a decimal, or %(whole)s for a whole number."
            )
            % {"value": text, "point": text.replace(",", "."), "whole": text.replace(",", "")}
        )
    if "," in text and PLAIN_NUMBER.fullmatch(text.replace(",", "")):
        raise NumberError(
            _(
                "'%(value)s' is ambiguous: a comma groups thousands, three digits at a "
                "time (1,234), and the decimal mark is a point (3.5)."
            )
            % {"value": text}
        )
    raise NumberError(_("'%(value)s' is not a number") % {"value": text})


def exclusive_conflict(question, values) -> str | None:
    """Return the label of an exclusive option ticked with others (e.g. "Tiada"), or None."""
    if len(set(values)) < 2:
        return None
    for value in values:
        option = question.option(value)
        if option is not None and option.exclusive:
            return option.label_in(get_language())
    return None


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
        conflict = exclusive_conflict(question, raw)
        if conflict:
            return None, _(
                "'%(option)s' cannot be ticked together with other answers: "
                "untick it, or untick the others."
            ) % {"option": conflict}
        order = [o.value for o in question.options]
        return sorted(set(raw), key=order.index), None
    if question.type == "number":
        if len(raw) > 1:
            return None, _("Give one number.")
        try:
            number = parse_number(raw[0])
        except NumberError as exc:
            return None, str(exc)
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
