"""One table of roll-ups for every programme: (programme, period, level, code) -> figures.

Why one table and not one per programme: a roll-up row is always the same
thing (a node's name, parent, school count and when it was computed) plus
the programme's own figures, which are only ever read whole, one node and its
children at a time (a dashboard reads two or three rows, a map a few dozen).
Those figures are kept in one JSON column; a programme names and types them
on a proxy model (``Figure``), so PASR, skills certification and SPMI add a
few lines and no table (a proxy's migration creates none), selector or store.
"""

from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

EMPTY = {int: 0, Decimal: None, list: list, dict: dict}


class Figure(property):
    """One of a programme's figures, read from and written to ``RollUp.figures``.

    A property, so a proxy's rows take figures as keyword arguments
    (``PibkRollUp(kpi1=Decimal("61.25"), ...)``) and templates read them as
    attributes. ``kind`` is int, Decimal (stored as text, read back exact),
    list or dict; a figure not stored yet reads as 0, None, [] or {}.
    """

    def __init__(self, kind=int):
        self.kind = kind
        super().__init__(self._get, self._set)

    def __set_name__(self, owner, name):
        self.name = name

    def _get(self, row):
        value = row.figures.get(self.name)
        if value is None:
            empty = EMPTY[self.kind]
            return empty() if callable(empty) else empty
        return Decimal(str(value)) if self.kind is Decimal else value

    def _set(self, row, value):
        row.figures[self.name] = value


class ProgrammeRollUps(models.Manager):
    """A programme's proxy sees its own rows only."""

    def get_queryset(self):
        rows = super().get_queryset()
        programme = self.model.PROGRAMME
        return rows if programme is None else rows.filter(programme=programme)


class RollUp(models.Model):
    """A programme's figures of one node (district, state, nation) for one period."""

    PROGRAMME = None  # a programme's proxy sets its code ("ssqs", "pibk", ...)

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        STATE = "state", _("State")
        DISTRICT = "district", _("District")

    programme = models.CharField(max_length=20)
    period = models.PositiveIntegerField()  # the programme's year (SSQS cycle, PIBK year)
    level = models.CharField(max_length=10, choices=Level.choices)
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=80)
    parent_code = models.CharField(max_length=40, blank=True)
    schools = models.PositiveIntegerField(default=0)
    figures = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    computed_at = models.DateTimeField()

    objects = ProgrammeRollUps()

    class Meta:
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period", "level", "code"], name="rollup_unique_per_unit"
            )
        ]
        indexes = [models.Index(fields=["programme", "period", "level", "parent_code"])]

    def __init__(self, *args, **kwargs):
        if not args and self.PROGRAMME:
            kwargs.setdefault("programme", self.PROGRAMME)
        super().__init__(*args, **kwargs)

    def __str__(self):
        return f"{self.programme} {self.period} {self.level} {self.code}"
