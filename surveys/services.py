"""Writes and workflows of the SSQS year."""

import datetime
import hashlib
import json
import logging
import re
import time
from collections import Counter
from pathlib import Path

import orjson
import yaml
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.rollups.debounce import Debounce
from schools.models import School
from ssqs_portal.db import analyze_after_bulk_load, copy_upsert
from ssqs_portal.numbers import two_decimals

from . import bulk, rules, throttle
from .answers import clean_domain, domain_is_complete, shown_values
from .convergence import schools_to_recompute
from .instrument import InstrumentError, parse_instrument
from .models import (
    Answer,
    Cycle,
    Instrument,
    ProfileAnswer,
    Rating,
    RatingMark,
    Respondent,
    SaveReceipt,
    WindowReopening,
)
from .scoring import (
    RespondentAnswers,
    empty_shares,
    fresh_shares,
    result_from_shares,
    score_school,
)
from .selectors import window_state

logger = logging.getLogger(__name__)


def instrument_path(year: int) -> Path:
    return Path(settings.SSQS_INSTRUMENTS_DIR) / f"ssqs-{year}.yaml"


def read_instrument_file(path: Path) -> dict:
    """Return the mapping in a YAML or JSON instrument file."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        return json.loads(text) if Path(path).suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise InstrumentError(
            [f"{path}: not valid {Path(path).suffix[1:].upper()}: {exc}"]
        ) from exc


@transaction.atomic
def instrument_load(*, path: Path) -> Instrument:
    """Load or update the instrument of the file's year, after validating it all."""
    data = read_instrument_file(path)
    spec = parse_instrument(data)  # raises InstrumentError naming every problem
    canonical = json.loads(json.dumps(data, default=str))
    checksum = hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()
    before = Instrument.objects.filter(year=spec.year).values_list("checksum", flat=True).first()
    instrument, _created = Instrument.objects.update_or_create(
        year=spec.year,
        defaults={"data": canonical, "checksum": checksum, "source": Path(path).name},
    )
    if before is not None and before != checksum:
        # Options, thresholds or categories may have changed: the points stored
        # with the answers must follow, before any rating adds them up.
        for cycle_id in instrument.cycles.values_list("pk", flat=True):
            bulk.points_refresh(cycle_id, spec)
    return instrument


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


def _require_open(cycle, school):
    state = window_state(cycle=cycle, school=school)
    if not state.is_open:
        raise PermissionDenied(state.message)


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


@transaction.atomic
def window_reopen(
    *, cycle: Cycle, school: School, until: datetime.date, reason: str, by
) -> WindowReopening:
    """Reopen one school's window until a date, recording who did it and why."""
    if until < timezone.localdate():
        raise ValidationError(_("The reopening date must be today or later."))
    return WindowReopening.objects.create(
        cycle=cycle, school=school, until=until, reason=reason.strip()[:300], by=by
    )


def _write_answers(model, filters: dict, cleaned, shown: dict, points=None) -> list[str]:
    """Upsert or delete the answers a person changed; return their codes.

    ``points(code, value)``, where given, is stored with each value.
    """
    upserts, deletes = [], []
    for code, value in cleaned.values.items():
        if code in shown and shown[code] == value:
            continue  # untouched since the form was shown: leave what is stored
        if value is None:
            deletes.append(code)
        else:
            extra = {"points": points(code, value)} if points else {}
            upserts.append(model(question=code, value=value, **filters, **extra))
    if upserts:
        model.objects.bulk_create(
            upserts,
            update_conflicts=True,
            unique_fields=[*filters.keys(), "question"],
            update_fields=["value", "updated_at", *(["points"] if points else [])],
        )
    if deletes:
        model.objects.filter(question__in=deletes, **filters).delete()
    return [a.question for a in upserts] + deletes


class SaveResult:
    def __init__(
        self, cleaned, written, domain_complete, respondent_complete=False, replayed=False
    ):
        self.cleaned = cleaned
        self.written = written
        self.domain_complete = domain_complete
        self.respondent_complete = respondent_complete
        # A save this browser had already sent (or an older one): not written again.
        self.replayed = replayed

    @property
    def is_valid(self):
        return self.cleaned.is_valid


CLIENT_PATTERN = re.compile(r"[A-Za-z0-9-]{8,40}")
SEQ_PATTERN = re.compile(r"[0-9]{1,18}")


def save_receipt(post) -> tuple[str, int] | None:
    """Return (browser id, save number) a background save carries, or None.

    A plain form post carries neither and is always written.
    """
    client, seq = post.get("_client") or "", post.get("_seq") or ""
    if not (CLIENT_PATTERN.fullmatch(client) and SEQ_PATTERN.fullmatch(seq)):
        return None
    return client, int(seq)


def _receipt_take(respondent, domain_code, client, seq, now) -> bool:
    """Record save ``seq`` from ``client``; return False if it (or a later one) was applied.

    The caller holds the respondent's row lock, so two copies of one save
    cannot both pass.
    """
    last = (
        SaveReceipt.objects.filter(respondent=respondent, domain=domain_code, client=client)
        .values_list("seq", flat=True)
        .first()
    )
    if last is not None and seq <= last:
        return False
    SaveReceipt.objects.update_or_create(
        respondent=respondent,
        domain=domain_code,
        client=client,
        defaults={"seq": seq, "at": now},
    )
    return True


# A respondent who chose their tag or saved this recently counts as answering now.
ACTIVE_MINUTES = 30


def respondent_seen(*, respondent: Respondent) -> None:
    """Note that the respondent is answering now (they just chose their tag)."""
    Respondent.objects.filter(pk=respondent.pk).update(last_active_at=timezone.now())


def respondents_active(*, cycle: Cycle, school: School, now=None) -> int:
    """Return how many of the school's respondents were active in the last ACTIVE_MINUTES."""
    since = (now or timezone.now()) - datetime.timedelta(minutes=ACTIVE_MINUTES)
    return Respondent.objects.filter(cycle=cycle, school=school, last_active_at__gte=since).count()


@transaction.atomic
def domain_save(*, respondent: Respondent, domain_code: str, post) -> SaveResult:
    """Save a respondent's answers to one domain, question by question.

    Nothing is written if any value is invalid or a code is not in the
    domain. A missing mandatory answer is no error: the rest is saved and the
    domain stays red. Only questions changed since the form was shown are
    written, so two tabs saving at once both land. A background save carries
    the browser's id and a rising number (``_client``, ``_seq``): one not above
    the last applied from that browser (a retry, or an older save arriving
    late) is answered as saved (``replayed``) and writes nothing. The school's
    rating is recomputed by a worker once this commits.
    """
    cycle = respondent.cycle
    _require_open(cycle, respondent.school)
    spec = cycle.instrument.spec
    questions = spec.questions_in(domain_code, respondent.category)
    if not questions:
        raise ValidationError(_("This domain has no questions for you."))
    cleaned = clean_domain(questions, post)
    if not cleaned.is_valid:
        return SaveResult(cleaned, [], False)
    # One save at a time per respondent decides which domains are complete.
    locked = Respondent.objects.select_for_update().get(pk=respondent.pk)
    now = timezone.now()
    receipt = save_receipt(post)
    if receipt is not None and not _receipt_take(locked, domain_code, *receipt, now):
        Respondent.objects.filter(pk=locked.pk).update(last_active_at=now)
        complete = locked.completed_domains or []
        respondent.completed_domains, respondent.completed_at = complete, locked.completed_at
        return SaveResult(
            cleaned, [], domain_code in complete, locked.completed_at is not None, replayed=True
        )
    written = _write_answers(
        Answer,
        {"respondent": locked},
        cleaned,
        shown_values(post),
        points=lambda code, value: bulk.answer_points(spec, locked.category, code, value),
    )
    answers = dict(Answer.objects.filter(respondent=locked).values_list("question", "value"))
    domains = spec.domains_for(locked.category)
    complete = [
        d.code
        for d in domains
        if domain_is_complete(spec.questions_in(d.code, locked.category), answers)
    ]
    locked.completed_domains = complete
    locked.started_at = locked.started_at or now
    locked.last_active_at = now
    all_done = len(complete) == len(domains)
    locked.completed_at = (locked.completed_at or now) if all_done else None
    locked.save(update_fields=["completed_domains", "started_at", "completed_at", "last_active_at"])
    respondent.completed_domains, respondent.completed_at = complete, locked.completed_at
    enqueue_rating(cycle_id=cycle.pk, school_id=respondent.school_id)
    return SaveResult(cleaned, written, domain_code in complete, all_done)


@transaction.atomic
def profile_save(*, cycle: Cycle, school: School, domain_code: str, post) -> SaveResult:
    """Save the school profile's "Lain-lain" facts (not scored)."""
    _require_open(cycle, school)
    spec = cycle.instrument.spec
    domain = spec.domain(domain_code)
    if domain is None or not domain.is_profile:
        raise ValidationError(_("This is not a school profile domain."))
    questions = spec.questions_in(domain_code)
    cleaned = clean_domain(questions, post)
    if not cleaned.is_valid:
        return SaveResult(cleaned, [], False)
    written = _write_answers(
        ProfileAnswer, {"cycle": cycle, "school": school}, cleaned, shown_values(post)
    )
    answers = dict(
        ProfileAnswer.objects.filter(cycle=cycle, school=school).values_list("question", "value")
    )
    return SaveResult(cleaned, written, domain_is_complete(questions, answers))


# A school's rating is recomputed at most this often from saves: the first
# save schedules one recompute this many seconds later, and saves in between
# ride along with it (it reads everything saved before it starts).
RATING_DEBOUNCE_SECONDS = 5


# "Recompute this school's rating soon" (core.rollups.debounce), announced by the save.
RATING_SOON = Debounce(
    "ssqs:rating-pending",
    RATING_DEBOUNCE_SECONDS,
    "Rating of cycle %s, school %s",
    "it stays marked and the periodic task recomputes it",
)


def rating_pending_key(cycle_id: int, school_id: int) -> str:
    return RATING_SOON.key(cycle_id, school_id)


def rating_mark(*, cycle_id: int, school_id: int) -> None:
    """Mark the school's rating as needing a recompute, in the caller's transaction."""
    RatingMark.objects.bulk_create(
        [RatingMark(cycle_id=cycle_id, school_id=school_id, marked_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["cycle", "school"],
        update_fields=["marked_at"],
    )


def rating_marks_of(cycle_id: int, school_ids=None) -> list[tuple[int, int, datetime.datetime]]:
    """Return the marks (cycle, school, marked_at) of a cycle's schools (all by default)."""
    marks = RatingMark.objects.filter(cycle_id=cycle_id)
    if school_ids is not None:
        marks = marks.filter(school_id__in=school_ids)
    return list(marks.values_list("cycle_id", "school_id", "marked_at"))


def rating_marks_clear(marks) -> int:
    """Remove the marks (cycle, school, marked_at) a recompute has seen.

    A mark that a later save has set again (a newer ``marked_at``) stays, so
    that save's answers are recomputed too.
    """
    marks = list(marks)
    removed = 0
    for start in range(0, len(marks), 500):
        condition = Q()
        for cycle_id, school_id, marked_at in marks[start : start + 500]:
            condition |= Q(cycle_id=cycle_id, school_id=school_id, marked_at=marked_at)
        removed += RatingMark.objects.filter(condition).delete()[0]
    return removed


def enqueue_rating(*, cycle_id: int, school_id: int) -> None:
    """Mark the school now; recompute its rating in a worker once the transaction commits.

    The mark is part of the caller's transaction, so a committed save is
    always recomputed: by the debounced task enqueued here, or by the
    periodic ``recompute_marked_ratings`` if that enqueue is lost (cache or
    broker down). An enqueue that fails is logged, never raised: the save
    has committed. With no broker configured (a first look, tests) the
    recompute runs at once, in-process.
    """
    from .tasks import recompute_school_rating

    rating_mark(cycle_id=cycle_id, school_id=school_id)
    RATING_SOON.announce(recompute_school_rating, cycle_id, school_id)


def school_rating_refresh(*, cycle_id: int, school_id: int) -> Rating:
    """Recompute a marked school's rating, then its dependants, then clear its mark: all or nothing.

    The rating and what follows it (monitoring's progress row) commit
    together, so a worker killed half-way leaves neither changed and the
    mark still set.
    """
    from ssqs_portal import registry

    seen = rating_marks_of(cycle_id, [school_id])  # read before the answers are
    with transaction.atomic():
        rating = rating_recompute(cycle_id=cycle_id, school_id=school_id)
        for callback in registry.RATING_CHANGED:
            callback(cycle_id, school_id)
        rating_marks_clear(seen)
    return rating


def marked_ratings_recompute(*, now=None) -> int:
    """Recompute every school still marked (``convergence.schools_to_recompute``); return how many.

    Per cycle, in one transaction: the ratings, the schools' dependants
    (progress rows and roll-ups) and the removal of the marks seen.
    """
    marks = list(RatingMark.objects.values_list("cycle_id", "school_id", "marked_at"))
    plan = schools_to_recompute(marks, now=now or timezone.now())
    for cycle_id, school_ids in plan.items():
        chosen = set(school_ids)
        _schools_recompute(
            cycle_id,
            school_ids,
            [m for m in marks if m[0] == cycle_id and m[1] in chosen],
        )
    return sum(len(ids) for ids in plan.values())


@transaction.atomic
def _schools_recompute(cycle_id: int, school_ids: list[int], seen) -> None:
    from ssqs_portal import registry

    if connection.vendor == "postgresql":
        ratings_recompute_bulk(cycle_id=cycle_id, school_ids=school_ids)
    else:
        for school_id in school_ids:
            rating_recompute(cycle_id=cycle_id, school_id=school_id)
    for callback in registry.SCHOOLS_RECOMPUTED:
        callback(cycle_id, school_ids)
    rating_marks_clear(seen)


RATING_FIELDS = [
    "usage",
    "human_capital",
    "applications",
    "infrastructure",
    "score",
    "band",
    "stars",
    "status",
    "respondents_finished",
    "respondents_required",
    "breakdown",
    "computed_at",
]


def rating_values(result, now) -> dict:
    """Return a rating's stored values (RATING_FIELDS) for a school's result."""
    return {
        **{code: two_decimals(value) for code, value in result.indicators.items()},
        "score": result.score,
        "band": result.band,
        "stars": result.stars,
        "status": result.status,
        "respondents_finished": result.finished,
        "respondents_required": result.required,
        "breakdown": breakdown_json(result),
        "computed_at": now,
    }


def rating_from_result(cycle_id: int, school_id: int, result, now) -> Rating:
    return Rating(cycle_id=cycle_id, school_id=school_id, **rating_values(result, now))


COPY_RATINGS_ABOVE = 100


def ratings_store(ratings: list[Rating]) -> None:
    """Insert or update ratings by (cycle, school).

    Many at once on PostgreSQL go through COPY into a temporary table and one
    INSERT ... ON CONFLICT: building the parameters of a plain bulk insert of
    10,000 ratings with their breakdowns costs more than computing them.
    """
    if connection.vendor == "postgresql" and len(ratings) > COPY_RATINGS_ABOVE:
        _ratings_copy(ratings)
        return
    Rating.objects.bulk_create(
        ratings,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["cycle", "school"],
        update_fields=RATING_FIELDS,
    )


def _ratings_copy(ratings: list[Rating]) -> None:
    _rating_rows_copy(
        (r.cycle_id, r.school_id, *(getattr(r, name) for name in RATING_FIELDS)) for r in ratings
    )


def _rating_rows_copy(rows) -> None:
    """Store rating rows (cycle_id, school_id, *RATING_FIELDS) through COPY.

    The breakdowns are written with orjson: the standard library's encoder took
    a fifth of the Python time of a national recompute (0.45 of 2.2 s).
    """
    breakdown = 2 + RATING_FIELDS.index("breakdown")
    copy_upsert(
        Rating,
        ["cycle_id", "school_id"],
        RATING_FIELDS,
        (
            (*row[:breakdown], orjson.dumps(row[breakdown]).decode(), *row[breakdown + 1 :])
            for row in rows
        ),
    )


def rating_recompute(*, cycle_id: int, school_id: int) -> Rating:
    """Compute and store one school's rating for a cycle. Idempotent.

    The school row is locked for the computation, so two runs at once take
    turns and the later one reads everything the earlier one saw.
    """
    with transaction.atomic():
        School.objects.select_for_update().only("pk").get(pk=school_id)
        cycle = (
            Cycle.objects.select_related("instrument").defer("instrument__data").get(pk=cycle_id)
        )
        spec = cycle.instrument.spec
        respondents = list(
            Respondent.objects.filter(cycle_id=cycle_id, school_id=school_id).values_list(
                "pk", "category", "completed_at"
            )
        )
        answers = {}
        for respondent_id, question, value in Answer.objects.filter(
            respondent__cycle_id=cycle_id,
            respondent__school_id=school_id,
            respondent__completed_at__isnull=False,
        ).values_list("respondent_id", "question", "value"):
            answers.setdefault(respondent_id, {})[question] = value
        result = score_school(
            spec,
            [
                RespondentAnswers(category, completed_at is not None, answers.get(pk, {}))
                for pk, category, completed_at in respondents
            ],
        )
        rating = rating_from_result(cycle_id, school_id, result, timezone.now())
        ratings_store([rating])
    return rating


def ratings_recompute_bulk(*, cycle_id: int, school_ids=None) -> int:
    """Compute and store the ratings of a cycle's schools (all by default) in one pass.

    PostgreSQL adds up the points (``surveys.bulk``); the score follows from
    them by the same rule as ``rating_recompute``. The schools' rows are
    locked first, as a one-school recompute does, so a recompute running
    meanwhile waits and then reads everything this one saw. Idempotent.
    """
    with transaction.atomic():
        locked = School.objects.select_for_update().order_by("pk")
        if school_ids is not None:
            locked = locked.filter(pk__in=school_ids)
        all_ids = list(locked.values_list("pk", flat=True))
        cycle = (
            Cycle.objects.select_related("instrument").defer("instrument__data").get(pk=cycle_id)
        )
        spec = cycle.instrument.spec
        domains, earned, counts = bulk.tallies(cycle_id, spec, school_ids)
        possible = bulk.possible_per_respondent(spec)
        domain_indicator = {d.code: d.indicator for d in spec.domains}
        template = empty_shares(spec)
        now = timezone.now()

        # category -> [(position of the domain's sum in a tally row, the domain's
        # Share key, its indicator, points one respondent could earn)]
        plan = {
            category: [
                (domains.index(domain), domain, domain_indicator[domain], points)
                for domain, points in by.items()
            ]
            for category, by in possible.items()
        }
        nothing = {}
        no_points = [None] * len(domains)

        def rows():
            for school_id in all_ids:
                by_category, by_domain = fresh_shares(template)
                finished = required = 0
                completed_by_category = {}
                sums_by_category = earned.get(school_id, nothing)
                for category, (total, completed) in counts.get(school_id, nothing).items():
                    required += total
                    finished += completed
                    completed_by_category[category] = completed
                    sums = sums_by_category.get(category, no_points)
                    for position, domain, indicator, points in plan.get(category, ()):
                        got = sums[position] or 0
                        share = by_domain[domain][category]
                        share.earned += got
                        share.possible += points * completed
                        share = by_category[indicator][category]
                        share.earned += got
                        share.possible += points * completed
                result = result_from_shares(
                    spec, by_category, by_domain, finished, required, completed_by_category
                )
                values = rating_values(result, now)
                yield (cycle_id, school_id, *(values[name] for name in RATING_FIELDS))

        # Streamed: PostgreSQL takes in each row while the next is computed.
        _rating_rows_copy(rows())
    return len(all_ids)


def breakdown_json(result) -> dict:
    """Return where points were earned and lost, by indicator/domain and category.

    With the completed respondents per category, which decide what an officer
    may see of it (``surveys.disclosure``).
    """

    def shares(table):
        return {
            key: {c: {"earned": s.earned, "possible": s.possible} for c, s in by_category.items()}
            for key, by_category in table.items()
        }

    return {
        "indicators": shares(result.by_category),
        "domains": shares(result.by_domain),
        "respondents": dict(result.respondents),
        "exact_score": float(result.exact_score),
    }


@transaction.atomic
def cycle_recompute(*, cycle_id: int, school_ids=None, rescore=False) -> int:
    """Recompute the ratings of a cycle's schools (all by default); return how many.

    ``rescore`` first re-derives every answer's stored points from its value
    (they are kept in step on every save and instrument reload; this is for
    an operator who wants to be sure). One transaction: the ratings, the
    progress rows and roll-ups that follow from them and the marks seen are
    committed together, so a process killed half-way leaves no reader seeing
    ratings and roll-ups that disagree.
    """
    from ssqs_portal import registry

    whole_cycle = school_ids is None
    seen = rating_marks_of(cycle_id, school_ids)
    if rescore:
        spec = Cycle.objects.select_related("instrument").get(pk=cycle_id).instrument.spec
        bulk.points_refresh(cycle_id, spec, school_ids)
    if connection.vendor == "postgresql":
        count = ratings_recompute_bulk(cycle_id=cycle_id, school_ids=school_ids)
    else:
        if whole_cycle:
            school_ids = list(School.objects.values_list("pk", flat=True))
        for school_id in school_ids:
            rating_recompute(cycle_id=cycle_id, school_id=school_id)
        count = len(school_ids)
    if whole_cycle:
        for callback in registry.CYCLE_RECOMPUTED:
            callback(cycle_id)
    else:
        for callback in registry.SCHOOLS_RECOMPUTED:
            callback(cycle_id, list(school_ids))
    rating_marks_clear(seen)
    return count
