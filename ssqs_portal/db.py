"""Database helpers shared by the apps."""

from django.db import connection, models

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


def copy_upsert(model, unique_fields: list[str], fields: list[str], rows, defaults=None) -> None:
    """Insert or update ``rows`` of ``model`` through COPY and one INSERT ... ON CONFLICT.

    PostgreSQL only. ``rows`` are tuples of database values in the order of
    ``unique_fields + fields`` (column names, e.g. ``school_id``; JSON as
    text). For ten thousand rows this is several times faster than
    ``bulk_create(update_conflicts=True)``, which builds a model instance and
    quotes every parameter of every row. ``defaults`` gives columns a value
    for new rows only (an update leaves them as they are).
    """
    from django.db import transaction

    table = model._meta.db_table
    defaults = defaults or {}
    names = ", ".join([*unique_fields, *fields])
    targets = ", ".join([*unique_fields, *fields, *defaults])
    extra = "".join(", %s" for _ in defaults)
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in fields)
    with transaction.atomic(), connection.cursor() as cursor:
        _copy_to_temporary(cursor, table, names, rows)
        cursor.execute(
            f"INSERT INTO {table} ({targets}) SELECT {names}{extra} FROM incoming "  # noqa: S608
            f"ON CONFLICT ({', '.join(unique_fields)}) DO UPDATE SET {updates}",
            list(defaults.values()),
        )
        cursor.execute("DROP TABLE incoming")


def copy_update(model, key_fields: list[str], fields: list[str], rows) -> int:
    """Update existing rows of ``model`` from ``rows`` through COPY and one UPDATE ... FROM.

    PostgreSQL only; ``rows`` are tuples in the order ``key_fields + fields``.
    ``bulk_update`` writes one CASE branch per row and parameter, which for
    ten thousand rows costs seconds. Return how many rows were updated.
    """
    from django.db import transaction

    table = model._meta.db_table
    names = ", ".join([*key_fields, *fields])
    sets = ", ".join(f"{name} = incoming.{name}" for name in fields)
    match = " AND ".join(f"{table}.{name} = incoming.{name}" for name in key_fields)
    with transaction.atomic(), connection.cursor() as cursor:
        _copy_to_temporary(cursor, table, names, rows)
        cursor.execute(f"UPDATE {table} SET {sets} FROM incoming WHERE {match}")  # noqa: S608
        updated = cursor.rowcount
        cursor.execute("DROP TABLE incoming")
    return updated


def _copy_to_temporary(cursor, table, names, rows):
    """COPY ``rows`` into a temporary table ``incoming`` shaped like ``table``'s ``names``."""
    cursor.execute(
        f"CREATE TEMPORARY TABLE incoming ON COMMIT DROP AS "  # noqa: S608 - our names
        f"SELECT {names} FROM {table} WITH NO DATA"
    )
    with cursor.copy(f"COPY incoming ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


class JsonArrayLength(models.Func):
    """The length of a JSON list, counted by the database (no decoding in Python)."""

    function = "json_array_length"
    output_field = models.IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="jsonb_array_length", **extra)
