"""How a programme plugs into the review workflow.

A programme names itself and says three things: the dates of a period's
window, what is still missing before its data can be verified, and where its
page is. Optionally, what to keep when a subject is verified and what to do
once an act has committed (``listen``: roll-ups, summaries; any app may
listen, e.g. monitoring for SSQS). It registers one ``Programme`` in its
``AppConfig.ready()``::

    review_programmes.register(Programme(
        code="pasr",
        name=_("PASR"),
        window_dates=lambda year, window: (date(year, 3, 1), date(year, 3, 31)),
        missing=lambda subject: [...],          # sentences naming what is missing
        page_url=lambda subject: reverse(...),  # the school's page of the programme
    ))
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone


def _nothing_missing(subject) -> list[str]:
    return []


def _no_figures(subject) -> dict:
    return {}


@dataclass(frozen=True)
class Programme:
    code: str  # stored on every subject: never rename it
    name: str  # what users read ("SSQS", "PIBK")
    # (year, window) -> (opens_on or None for "from the start", closes_on)
    window_dates: Callable[[int, str], tuple[datetime.date | None, datetime.date]]
    # subject -> where the school and its officers see it
    page_url: Callable[[object], str]
    # subject -> sentences naming what is missing; verifying then needs a confirmation
    missing: Callable[[object], list[str]] = _nothing_missing
    # The window codes of a year ("" alone: one collection a year) and their names.
    windows: Sequence[str] = ("",)
    window_names: dict = field(default_factory=dict)
    # subject -> figures kept on the subject when it is verified (in the same transaction)
    figures_when_verified: Callable[[object], dict] = _no_figures
    # Today, as the programme sees it (tests move PIBK's calendar).
    today: Callable[[], datetime.date] = timezone.localdate

    def label(self, year: int, window: str = "") -> str:
        """Return how people name one period: "SSQS 2026", "PIBK 2026, KPI 1, by 31 March"."""
        name = self.window_names.get(window)
        return f"{self.name} {year}, {name}" if name else f"{self.name} {year}"


_PROGRAMMES: dict[str, Programme] = {}
# programme code -> callables (subject, act) run once an act on its data has committed
_LISTENERS: dict[str, list] = {}


def register(programme: Programme) -> Programme:
    """Make ``programme`` known to the workflow (once per process; the last one wins)."""
    _PROGRAMMES[programme.code] = programme
    return programme


def get(code: str) -> Programme:
    """Return the registered programme ``code``; a KeyError names an unknown one."""
    return _PROGRAMMES[code]


def all_programmes() -> list[Programme]:
    return list(_PROGRAMMES.values())


def listen(code: str, callback) -> None:
    """Call ``callback(subject, act)`` after every committed act on programme ``code``'s data."""
    if callback not in _LISTENERS.setdefault(code, []):
        _LISTENERS[code].append(callback)


def listeners(code: str) -> list:
    return list(_LISTENERS.get(code, ()))
