"""Database helpers shared by the apps."""

from django.db import connection

# A bulk load this large changes a table's statistics enough to mislead the planner.
ANALYZE_AFTER_ROWS = 5000


def analyze_after_bulk_load(*models, rows: int) -> None:
    """Refresh PostgreSQL's statistics of ``models`` after inserting ``rows`` rows.

    Autovacuum catches up only later; until then a query planned on the old
    statistics (e.g. 800 respondents when there are 480,000) can choose a
    nested loop that takes minutes instead of a second.
    """
    if connection.vendor != "postgresql" or rows < ANALYZE_AFTER_ROWS:
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')  # noqa: S608 - our table names
