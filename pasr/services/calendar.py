"""The examinations board's calendar: setting and reopening windows, every change recorded.

Used by the ``pasr_window`` command and the board's page (``pasr:board``).
Seed 3.4: registration 1-31 March of the assessment year unless the board
sets or reopens it; 4.1, 4.2: the board publishes ProKhas 1 (eight weeks)
and ProKhas 2 (four weeks) "mengikut jadual yang ditetapkan LP"; 4.7: both
in the assessment year itself.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import rules
from ..models import AssessmentYear, WindowChange

# ``WindowChange.window`` of a change of the last day for results (not a window
# with two ends: opens_on and closes_on both hold the day).
RESULTS = rules.RESULTS_DUE
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _year_for_update(year: int) -> AssessmentYear:
    """Return the year's row locked, created with 1-31 March registration if new."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            _("The assessment year must be between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    opens, closes = rules.default_registration(year)
    AssessmentYear.objects.get_or_create(
        year=year, defaults={"registration_opens": opens, "registration_closes": closes}
    )
    return AssessmentYear.objects.select_for_update().get(year=year)


def window_set(
    *,
    year: int,
    window: str,
    opens: datetime.date,
    closes: datetime.date,
    reason: str = "",
    by=None,
    source: str = "",
) -> tuple[AssessmentYear, WindowChange]:
    """Set (or reopen) ``window`` of assessment year ``year``, and record who, when and why.

    Raises ValidationError naming what is wrong; nothing is saved then.
    """
    if window not in rules.WINDOWS:
        raise ValidationError(
            _("Unknown window '%(window)s': choose %(choices)s.")
            % {"window": window, "choices": ", ".join(rules.WINDOWS)}
        )
    if window == rules.REGISTRATION:
        refusal = rules.registration_window_refusal(opens, closes, year)
    else:
        refusal = rules.instrument_window_refusal(window, opens, closes, year)
    if refusal:
        raise ValidationError(str(refusal))
    with transaction.atomic():
        calendar = _year_for_update(year)
        if (
            window != rules.REGISTRATION
            and calendar.results_due is not None
            and closes > calendar.results_due
        ):
            raise ValidationError(
                _(
                    "Results are due on %(due)s: an instrument window cannot close after "
                    "that. Move the results' day first."
                )
                % {"due": calendar.results_due.isoformat()}
            )
        if window == rules.REGISTRATION:
            calendar.registration_opens, calendar.registration_closes = opens, closes
        else:
            setattr(calendar, f"{window}_opens", opens)
            setattr(calendar, f"{window}_closes", closes)
        calendar.save()
        change = WindowChange.objects.create(
            assessment_year=calendar,
            window=window,
            opens_on=opens,
            closes_on=closes,
            reason=(reason or "").strip(),
            by=by,
            source=source,
        )
    return calendar, change


def results_due_set(
    *, year: int, due: datetime.date, reason: str = "", by=None, source: str = ""
) -> tuple[AssessmentYear, WindowChange]:
    """Set the last day for ratings, moderation and verification, recorded like a window."""
    with transaction.atomic():
        calendar = _year_for_update(year)
        refusal = rules.results_due_refusal(
            due, year=year, closes=[calendar.prokhas1_closes, calendar.prokhas2_closes]
        )
        if refusal:
            raise ValidationError(str(refusal))
        calendar.results_due = due
        calendar.save(update_fields=["results_due"])
        change = WindowChange.objects.create(
            assessment_year=calendar,
            window=RESULTS,
            opens_on=due,
            closes_on=due,
            reason=(reason or "").strip(),
            by=by,
            source=source,
        )
    return calendar, change
