"""Seed 001's model schools: an officer above a school marks its cycle as a model, whose plan
other schools may open as an example."""

from django.db import transaction

from ..models import Cycle
from ..rollups import rollups_enqueue


def model_mark(*, cycle, is_model: bool, by) -> Cycle:
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        cycle.is_model = is_model
        cycle.model_marked_by = by if is_model else None
        cycle.save(update_fields=["is_model", "model_marked_by"])
        rollups_enqueue(year=cycle.year)
    return cycle
