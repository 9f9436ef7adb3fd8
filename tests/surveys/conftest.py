from django.http import QueryDict

from surveys.answering import domain_save
from surveys.models import Respondent


def post(**values):
    data = QueryDict(mutable=True)
    for code, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            data.appendlist(code if code.startswith("_") else code.replace("_", "-"), item)
    return data


def best_post(spec, domain_code, category):
    """Return a post answering every question of a domain with its best option."""
    data = QueryDict(mutable=True)
    for q in spec.questions_in(domain_code, category):
        if q.type in ("single", "yesno"):
            data.appendlist(q.code, max(q.options, key=lambda o: o.points).value)
        elif q.type == "multiple":
            for o in q.options:
                if o.points > 0:
                    data.appendlist(q.code, o.value)
        elif q.type == "number":
            data.appendlist(q.code, str(max(q.thresholds)[0] if q.thresholds else q.min or 0))
        else:
            data.appendlist(q.code, "ok")
    return data


def complete(respondent):
    spec = respondent.cycle.instrument.spec
    for domain in spec.domains_for(respondent.category):
        domain_save(
            respondent=respondent,
            domain_code=domain.code,
            post=best_post(spec, domain.code, respondent.category),
        )
    respondent.refresh_from_db()
    return respondent


def respondents(cycle, school, category=None):
    qs = Respondent.objects.filter(cycle=cycle, school=school)
    return qs.filter(category=category) if category else qs
