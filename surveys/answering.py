"""Answering: saving a respondent's domain or the school profile, once,
whatever the network does (receipts), and who is answering now."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schools.models import School

from . import bulk
from .answers import clean_domain, domain_is_complete, shown_values
from .models import (
    Answer,
    Cycle,
    ProfileAnswer,
    Respondent,
    SaveReceipt,
)
from .rating import enqueue_rating
from .review import require_open as _require_open


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
