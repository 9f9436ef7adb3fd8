"""Recording quality-assurance visits against a school (seed 6.2-6.7)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import calendar, events, rules
from ..models import QaVisit


@transaction.atomic
def qa_visit_record(*, school, year: int, kind: str, level: str, visited_on: datetime.date,
                    visitor: str, visitor_role: str, findings: str, follow_up: str,
                    by) -> QaVisit:  # fmt: skip
    """Record a visit and its findings; ValidationError naming every faulty field, nothing saved."""
    errors = rules.qa_visit_refusals(
        kind=kind, level=level, role=visitor_role, visited_on=visited_on,
        today=calendar.today(), year=year, visitor=visitor, findings=findings,
    )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    visit = QaVisit.objects.create(
        school=school, year=year, kind=kind, level=level, visited_on=visited_on,
        visitor=visitor.strip(), visitor_role=visitor_role, findings=findings.strip(),
        follow_up=(follow_up or "").strip(), recorded_by=by,
    )  # fmt: skip
    events.school_changed(school.pk, year)
    return visit
