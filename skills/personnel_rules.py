"""Personnel (Modul Personel): who may serve as assessor (PP) or external verifier (PPL).

Pure: facts in, answers out. The application page shows these rules as written here
(``rules_text``), so what the applicant reads is what the portal applies.

- Who may be approved (``eligibility_problem``):
  - a PP holds a skills qualification (SKM, DKM or DLKM) in the standard's field (its
    sector) at the standard's level or above, and has at least 3 years' experience in
    the industry;
  - a PPL holds the same (the standard's field, its level or above) and has served at
    least 2 years as a PP.
- An approval is decided per standard named (each NOSS carries its level); it takes effect
  only once the induction course attended is recorded, and is valid for 3 years from the
  induction day (the last valid day is the day before its third anniversary).
- In force on a day (``in_force``): approved (not suspended, not revoked) and that day
  within valid_from..expires_on, both counted.
- Renewal (``renewal_refusal``): from 90 days before the expiry until a year after it; the
  renewed period starts the day after the old expiry (renewed in time) or on the day the
  body approves it (renewed late, the days between count for nobody), for 3 more years.
  No new induction. Later than a year after the expiry: apply anew (with an induction).
"""

import datetime

from django.utils.translation import gettext_lazy as _

PP, PPL = "pp", "ppl"
ROLE_CHOICES = [(PP, _("Assessor (PP)")), (PPL, _("External verifier (PPL)"))]
APPLIED, APPROVED, REFUSED, SUSPENDED, REVOKED = (
    "applied", "approved", "refused", "suspended", "revoked",
)  # fmt: skip
STATE_CHOICES = [
    (APPLIED, _("Awaiting decision")),
    (APPROVED, _("Approved")),
    (REFUSED, _("Refused")),
    (SUSPENDED, _("Suspended")),
    (REVOKED, _("Revoked")),
]
# Qualification levels: SKM 1-3, DKM (4), DLKM (5).
LEVEL_CHOICES = [
    (1, _("SKM level 1")),
    (2, _("SKM level 2")),
    (3, _("SKM level 3")),
    (4, _("DKM (level 4)")),
    (5, _("DLKM (level 5)")),
]

PP_INDUSTRY_YEARS = 3
PPL_PP_YEARS = 2
VALID_YEARS = 3
EXPIRING_DAYS = 90  # the body's desk lists them; renewal opens this many days before
RENEW_LATE_DAYS = 365  # renewal still accepted this long after the expiry
MAX_STANDARDS = 10  # standards named in one application


def rules_text() -> list[str]:
    """The rules as the applicant reads them, in the language of the request (read when
    called: formatted at import they would stay in the language of the import)."""
    return [
        _(
            "An assessor (PP) holds a skills qualification (SKM, DKM or DLKM) in the "
            "standard's field at the standard's level or above, and has at least %(years)s "
            "years' experience in the industry."
        )
        % {"years": PP_INDUSTRY_YEARS},
        _(
            "An external verifier (PPL) holds a skills qualification in the standard's field "
            "at the standard's level or above, and has served at least %(years)s years as an "
            "assessor (PP)."
        )
        % {"years": PPL_PP_YEARS},
        _(
            "The body decides each standard named. An approval takes effect once the induction "
            "course you attended is recorded, and is valid for %(years)s years from that day."
        )
        % {"years": VALID_YEARS},
        _(
            "Renew from %(before)s days before the expiry until a year after it: the new period "
            "follows on from the old one (or starts on the day of the body's approval, if late)."
        )
        % {"before": EXPIRING_DAYS},
        _(
            "Only a person whose approval for the standard is in force may assess (PP) or "
            "verify (PPL) its intakes."
        ),
    ]


# act -> the states it may start from, and the state it leaves
ACTS = {
    "approve": ({APPLIED}, APPROVED),
    "refuse": ({APPLIED}, REFUSED),
    "induct": ({APPROVED}, APPROVED),
    "suspend": ({APPROVED}, SUSPENDED),
    "reinstate": ({SUSPENDED}, APPROVED),
    "revoke": ({APPROVED, SUSPENDED}, REVOKED),
}
NEEDS_REASON = ("refuse", "suspend", "reinstate", "revoke")


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def validity(start: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(valid_from, expires_on) of an approval starting on ``start``: 3 years, both counted."""
    return start, add_years(start, VALID_YEARS) - datetime.timedelta(days=1)


def eligibility_problem(
    role: str,
    *,
    standard_level: int,
    standard_sector: int,
    held_level: int,
    held_sector: int,
    industry_years: int,
    pp_years: int,
):
    """Why the applicant may not be approved for the standard (a message), or None."""
    if role not in (PP, PPL):
        return _("Choose assessor (PP) or external verifier (PPL).")
    if held_sector != standard_sector:
        return _("Your qualification is in another field than the standard's.")
    if held_level < standard_level:
        return _("Your qualification is at level %(held)s; the standard is at level %(level)s.") % {
            "held": held_level,
            "level": standard_level,
        }
    if role == PP and industry_years < PP_INDUSTRY_YEARS:
        return _("An assessor (PP) needs at least %(n)s years' experience in the industry.") % {
            "n": PP_INDUSTRY_YEARS
        }
    if role == PPL and pp_years < PPL_PP_YEARS:
        return _("An external verifier (PPL) needs at least %(n)s years as an assessor (PP).") % {
            "n": PPL_PP_YEARS
        }
    return None


def act_refusal(act: str, state: str, *, reason: str = "", inducted: bool = False,
                renewal: bool = False):  # fmt: skip
    """Why the body's ``act`` on an approval in ``state`` may not be done (a message), or None.

    Refusing, suspending, reinstating and revoking need a reason (the person reads it).
    Recording the induction: only on an approved line not yet inducted and not a renewal
    (a renewal carries the first induction over).
    """
    if act not in ACTS:
        return _("Unknown act.")
    if state not in ACTS[act][0]:
        return _("This act is not allowed while the approval is %(state)s.") % {
            "state": dict(STATE_CHOICES)[state]
        }
    if act == "induct" and (inducted or renewal):
        return _("The induction is already recorded.")
    if act in NEEDS_REASON and not (reason or "").strip():
        return _("Give the reason: the person reads it.")
    return None


def in_force(state: str, valid_from, expires_on, on: datetime.date) -> bool:
    """Whether an approval counts on day ``on``: approved, inducted, within its dates."""
    return (
        state == APPROVED
        and valid_from is not None
        and expires_on is not None
        and valid_from <= on <= expires_on
    )


def renewal_refusal(state: str, expires_on, today: datetime.date, *, pending: bool = False):
    """Why an approval may not be renewed today (a message), or None."""
    if state != APPROVED or expires_on is None:
        return _("Only an approval in effect (its induction recorded) is renewed.")
    if pending:
        return _("This approval is already renewed, or its renewal awaits the body's decision.")
    if today < expires_on - datetime.timedelta(days=EXPIRING_DAYS):
        return _("Renewal opens %(n)s days before the expiry (%(date)s).") % {
            "n": EXPIRING_DAYS, "date": expires_on.isoformat(),
        }  # fmt: skip
    if today > expires_on + datetime.timedelta(days=RENEW_LATE_DAYS):
        return _("It expired more than a year ago: apply anew (with an induction course).")
    return None


def renewed_validity(old_expires_on: datetime.date, today: datetime.date):
    """(valid_from, expires_on) of a renewal approved on ``today``."""
    start = max(old_expires_on + datetime.timedelta(days=1), today)
    return validity(start)


def expiring(state: str, expires_on, today: datetime.date) -> bool:
    """Whether an approval in effect expires within ``EXPIRING_DAYS`` from today."""
    return (
        state == APPROVED
        and expires_on is not None
        and today <= expires_on <= today + datetime.timedelta(days=EXPIRING_DAYS)
    )
