"""Cycles and rosters: opening a year, the respondents of each school, the
respondent account's password, and the tag-number throttle."""

import logging
import time
from collections import Counter

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from schools.models import School
from ssqs_portal.db import analyze_after_bulk_load

from . import rules, throttle
from .loading import instrument_load, instrument_path
from .models import (
    Cycle,
    Instrument,
    Respondent,
)
from .rating import enqueue_rating
from .review import require_open as _require_open

logger = logging.getLogger(__name__)


@transaction.atomic
def cycle_open(*, year: int, opens_on=None, closes_on=None, briefing_on=None) -> Cycle:
    """Open (or update the window of) the SSQS cycle of ``year`` for every school.

    Loads that year's instrument file if it is not loaded yet, and makes
    sure every school has its respondent roster.
    """
    instrument = Instrument.objects.filter(year=year).first()
    if instrument is None:
        path = instrument_path(year)
        if not path.exists():
            raise ValidationError(
                _(
                    "No instrument for %(year)s: load one with load_instrument "
                    "(looked for %(path)s)."
                )
                % {"year": year, "path": path}
            )
        instrument = instrument_load(path=path)
    briefing, opens, closes = Cycle.default_dates(year)
    opens_on, closes_on = opens_on or opens, closes_on or closes
    if opens_on > closes_on:
        raise ValidationError(
            _("The window opens on %(a)s, after it closes on %(b)s.")
            % {"a": opens_on, "b": closes_on}
        )
    cycle, _created = Cycle.objects.update_or_create(
        year=year,
        defaults={
            "instrument": instrument,
            "opens_on": opens_on,
            "closes_on": closes_on,
            "briefing_on": briefing_on or min(briefing, opens_on),
        },
    )
    roster_ensure(cycle=cycle)
    return cycle


def roster_ensure(*, cycle: Cycle, schools=None) -> int:
    """Give each school (all by default) its required respondents; return how many were made.

    Idempotent: only missing places are added, with fresh random tags that
    are unique in the school.
    """
    schools = School.objects.all() if schools is None else schools
    have = Counter()
    tags = {}
    for school_id, category, tag in Respondent.objects.filter(
        cycle=cycle, school__in=schools
    ).values_list("school_id", "category", "tag"):
        have[school_id, category] += 1
        tags.setdefault(school_id, set()).add(tag)
    new = []
    for school_id, is_skm in schools.values_list("pk", "is_skm"):
        required = rules.required_respondents(is_skm)
        missing = {c: n - have[school_id, c] for c, n in required.items() if n > have[school_id, c]}
        if not missing:
            continue
        fresh = iter(rules.new_tags(sum(missing.values()), tags.get(school_id, ())))
        for category, count in missing.items():
            for number in range(
                have[school_id, category] + 1, have[school_id, category] + count + 1
            ):
                new.append(
                    Respondent(
                        cycle=cycle,
                        school_id=school_id,
                        category=category,
                        number=number,
                        tag=next(fresh),
                    )
                )
    Respondent.objects.bulk_create(new, batch_size=5000)
    analyze_after_bulk_load(Respondent, rows=len(new))
    return len(new)


@transaction.atomic
def respondent_add(*, cycle: Cycle, school: School, category: str) -> Respondent:
    """Add one more teacher or pupil to a small school's roster."""
    _require_open(cycle, school)
    if category not in rules.EXTRA_ALLOWED[school.is_skm]:
        raise ValidationError(
            _("Only small schools (SKM) add respondents, and only teachers or pupils.")
        )
    School.objects.select_for_update().get(pk=school.pk)
    current = Respondent.objects.filter(cycle=cycle, school=school, category=category)
    number = max(current.values_list("number", flat=True), default=0) + 1
    taken = Respondent.objects.filter(cycle=cycle, school=school).values_list("tag", flat=True)
    respondent = Respondent.objects.create(
        cycle=cycle,
        school=school,
        category=category,
        number=number,
        tag=rules.new_tags(1, taken)[0],
        is_extra=True,
    )
    return respondent


@transaction.atomic
def respondent_remove(*, respondent: Respondent) -> None:
    """Remove an added respondent who has not answered anything."""
    _require_open(respondent.cycle, respondent.school)
    if not respondent.is_extra:
        raise ValidationError(_("Required respondents cannot be removed."))
    if respondent.answers.exists():
        raise ValidationError(_("This respondent has already answered; they cannot be removed."))
    school_id, cycle_id = respondent.school_id, respondent.cycle_id
    respondent.delete()
    enqueue_rating(cycle_id=cycle_id, school_id=school_id)


@transaction.atomic
def respondent_names_set(*, cycle: Cycle, school: School, names: dict) -> int:
    """Write the names the coordinator noted against tags; return how many changed."""
    _require_open(cycle, school)
    respondents = {r.pk: r for r in Respondent.objects.filter(cycle=cycle, school=school)}
    changed = []
    for pk, name in names.items():
        respondent = respondents.get(pk)
        if respondent is not None and respondent.name != name.strip()[:120]:
            respondent.name = name.strip()[:120]
            changed.append(respondent)
    Respondent.objects.bulk_update(changed, ["name"])
    return len(changed)


TAG_SESSION_KEY = "ssqs_tag_failures"


def _tag_counter_keys(account_id: int, address: str, bucket: int) -> tuple[str, str]:
    return (
        f"ssqs:tagfail:school:{account_id}:{bucket}",
        f"ssqs:tagfail:addr:{account_id}:{address}:{bucket}",
    )


def tag_wait(*, account_id: int, address: str, session, now: float | None = None):
    """Return the ``throttle.Wait`` before this session may type another tag number.

    With the cache (Redis) down, the school and address counts are skipped
    and only the session's own count (kept in the session, in the database)
    applies: the tag check fails open rather than stopping every school's
    respondents (see ``throttle`` for why guessing stays impractical).
    """
    now = time.time() if now is None else now
    buckets = throttle.window_buckets(now)
    keys = {b: _tag_counter_keys(account_id, address, b) for b in buckets}
    try:
        found = cache.get_many([k for pair in keys.values() for k in pair])
    except Exception:  # any cache backend's connection error
        logger.warning("Tag throttle: the cache is unavailable; counting per session only.")
        school_counts = address_counts = None
    else:
        school_counts = {b: found.get(school_key, 0) for b, (school_key, _a) in keys.items()}
        address_counts = {b: found.get(addr_key, 0) for b, (_s, addr_key) in keys.items()}
    return throttle.wait_for(
        session_times=session.get(TAG_SESSION_KEY, []),
        address_counts=address_counts,
        school_counts=school_counts,
        now=now,
    )


def tag_failure_record(*, account_id: int, address: str, session, now: float | None = None):
    """Count one wrong tag number for the session, the address and the school account."""
    now = time.time() if now is None else now
    session[TAG_SESSION_KEY] = throttle.session_after_failure(session.get(TAG_SESSION_KEY, []), now)
    for key in _tag_counter_keys(account_id, address, throttle.bucket_of(now)):
        try:
            cache.add(key, 0, throttle.WINDOW + throttle.BUCKET)
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, throttle.WINDOW + throttle.BUCKET)
        except Exception:  # any cache backend's connection error
            logger.warning("Tag throttle: the cache is unavailable; counting per session only.")
            return


def respondent_password_set(*, school: School, password: str) -> None:
    """Set the password of the school's shared respondent account (code + R).

    Until this is done the account cannot log in (import leaves it without a
    usable password). The portal's password validators apply, so it is not
    built from the school code; and it may not be the coordinator's own, which
    every respondent would then know.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    from schools.services import respondent_username

    User = get_user_model()
    account, _created = User.objects.get_or_create(
        username=respondent_username(school.code),
        defaults={"role": User.Role.RESPONDENT, "school": school},
    )
    validate_password(password, account)
    coordinator = User.objects.filter(
        username__iexact=school.code, role=User.Role.COORDINATOR
    ).first()
    if coordinator is not None and coordinator.check_password(password):
        raise ValidationError(
            _(
                "The respondent password must not be the coordinator's own password: "
                "every respondent will know it."
            )
        )
    account.set_password(password)
    account.save(update_fields=["password"])


def respondent_password_is_set(*, school: School) -> bool:
    """Return whether the school's respondent account (code + R) can log in."""
    from django.contrib.auth import get_user_model

    from schools.services import respondent_username

    account = (
        get_user_model()
        .objects.filter(username__iexact=respondent_username(school.code))
        .only("password")
        .first()
    )
    return account is not None and account.has_usable_password()
