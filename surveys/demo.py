"""The demo world's SSQS year: an open cycle and believable answers."""

import random

from django.http import QueryDict
from django.utils import timezone

from schools.models import School

from .answering import domain_save, profile_save
from .models import Respondent
from .rating import rating_recompute
from .rosters import cycle_open, respondent_password_is_set, respondent_password_set

# The demo coordinators' respondent password, set as a coordinator would on
# the roster page (import leaves respondent accounts without one).
DEMO_RESPONDENT_PASSWORD = "Demo-Responden-2026"

# How far each demo school has got: share of respondents finished, share started.
PROGRESS = {
    "BBA5008": (0.7, 0.85),
    "BBA8101": (1.0, 1.0),
    "ABA0901": (1.0, 1.0),
    "BBC5012": (0.3, 0.5),
    "BEA5020": (0.1, 0.2),
}
# A school's habits: how likely each answer is to be a high one.
LEAN = {"BBA5008": 0.7, "BBA8101": 0.45, "ABA0901": 0.85, "BBC5012": 0.55, "BEA5020": 0.5}


def _answer(question, rng, lean):
    if question.type in ("single", "yesno"):
        options = sorted(question.options, key=lambda o: o.points)
        index = min(
            len(options) - 1, int(rng.betavariate(1 + 4 * lean, 1 + 4 * (1 - lean)) * len(options))
        )
        return [options[index].value]
    if question.type == "multiple":
        chosen = [o.value for o in question.options if o.points > 0 and rng.random() < lean]
        return chosen or [
            next((o.value for o in question.options if o.points == 0), question.options[0].value)
        ]
    if question.type == "number":
        top = max((at for at, _p in question.thresholds), default=10)
        high = float(question.max) if question.max is not None else 100
        return [str(int(min(high, rng.uniform(0, float(top) * 1.3 * (0.4 + lean)))))]
    return ["" if rng.random() < 0.7 else "Tiada"]


def _post(questions, rng, lean, skip_mandatory=False):
    post = QueryDict(mutable=True)
    for question in questions:
        if skip_mandatory and question.mandatory and rng.random() < 0.5:
            continue
        for value in _answer(question, rng, lean):
            post.appendlist(question.code, value)
    return post


def seed(stdout):
    """Open SSQS for this year with a window around today and answer for the demo schools."""
    rng = random.Random(2026)
    today = timezone.localdate()
    cycle = cycle_open(
        year=today.year,
        opens_on=today.replace(month=1, day=1),
        closes_on=today.replace(month=12, day=31),
    )
    spec = cycle.instrument.spec
    logins = []
    for code, (finished_share, started_share) in PROGRESS.items():
        school = School.objects.filter(code=code).first()
        if school is None:
            continue
        if not respondent_password_is_set(school=school):
            respondent_password_set(school=school, password=DEMO_RESPONDENT_PASSWORD)
        lean = LEAN[code]
        profile_domain = spec.profile_domains[0]
        profile_save(
            cycle=cycle,
            school=school,
            domain_code=profile_domain.code,
            post=_post(spec.questions_in(profile_domain.code), rng, lean),
        )
        respondents = list(
            Respondent.objects.filter(cycle=cycle, school=school, started_at__isnull=True)
        )
        rng.shuffle(respondents)
        total = Respondent.objects.filter(cycle=cycle, school=school).count()
        n_finished = round(finished_share * total)
        n_started = round(started_share * total)
        for i, respondent in enumerate(respondents[:n_started]):
            domains = spec.domains_for(respondent.category)
            finish = i < n_finished
            for j, domain in enumerate(domains):
                if not finish and j >= len(domains) // 2 + 1:
                    break
                domain_save(
                    respondent=respondent,
                    domain_code=domain.code,
                    post=_post(
                        spec.questions_in(domain.code, respondent.category),
                        rng,
                        lean,
                        skip_mandatory=not finish,
                    ),
                )
        rating_recompute(cycle_id=cycle.pk, school_id=school.pk)
    sample = Respondent.objects.filter(
        cycle=cycle, school__code="BBA5008", started_at__isnull=True
    ).order_by("category", "number")
    tag = sample.first()
    if tag is not None:
        logins.append(
            (
                "respondent account",
                "BBA5008R",
                DEMO_RESPONDENT_PASSWORD,
                f"Pilih Responden: tag {tag.tag_display} ({tag.get_category_display()})",
            )
        )
    return logins
