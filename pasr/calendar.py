"""An assessment year's calendar as the board set it (or its defaults), read without writing.

A GET never writes: a year the board has not set yet reads as an unsaved
``AssessmentYear`` with registration on 1-31 March (seed 3.4) and no
instrument window published.
"""

from django.utils import timezone

from . import rules
from .models import AssessmentYear


def today():
    """Today as PASR sees it (tests move it by patching ``pasr.calendar.today``)."""
    return timezone.localdate()


def assessment_year(year: int) -> AssessmentYear:
    """Return the board's calendar of ``year``: saved, or the unsaved default."""
    found = AssessmentYear.objects.filter(year=year).first()
    if found is not None:
        return found
    opens, closes = rules.default_registration(year)
    return AssessmentYear(year=year, registration_opens=opens, registration_closes=closes)


def window_open(calendar: AssessmentYear, window: str, on=None) -> bool:
    """Return whether ``window`` (registration, prokhas1, prokhas2) is open ``on`` (today)."""
    on = on or today()
    opens, closes = calendar.window(window)
    return opens is not None and closes is not None and opens <= on <= closes


def year_from(value, default=None) -> int:
    """Return the year a ``?year=`` parameter names (four ASCII digits, 2000-2100), else today's."""
    text = str(value or "")
    if len(text) == 4 and text.isascii() and text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    return default or today().year
