"""Bulk-loading skills records for the benchmarks (COPY through psycopg), shared by
``skills_check.py`` and ``skills_rating.py``: the COPY itself, the load's session (foreign-key
triggers off, back on after), the registry every skills benchmark starts from (sectors,
standards of 4 CUs, centres in the given states), and the sequences set past the rows."""

from contextlib import contextmanager


def copy(cursor, table, columns, rows):
    """COPY ``rows`` (tuples in ``columns``' order) into ``table``."""
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as out:
        for row in rows:
            out.write_row(row)


@contextmanager
def bulk_load():
    """psycopg's own cursor with foreign-key triggers off (session_replication_role) while
    the rows go in; on again after."""
    from django.db import connection

    with connection.cursor() as c:
        cursor = c.cursor  # psycopg's own, for COPY
        cursor.execute("SET session_replication_role = replica")
        try:
            yield cursor
        finally:
            cursor.execute("SET session_replication_role = origin")


def registry(cursor, *, standards: int, centres: int, states: list):
    """10 sectors, ``standards`` standards (levels 1-5) of 4 CUs each (unit ids
    ``(standard - 1) * 4 + u + 1``), ``centres`` centres ``PB-0000``... spread over
    ``states``."""
    copy(cursor, "skills_sector", ["id", "code", "name_ms", "name_en"],
         ((i + 1, f"S{i}", f"Sektor {i}", f"Sector {i}") for i in range(10)))  # fmt: skip
    copy(
        cursor, "skills_standard",
        ["id", "code", "title_ms", "title_en", "sector_id", "level", "version", "is_demo",
         "updated_at"],
        ((i + 1, f"A{i:03d}-001-{i % 5 + 1}:2020", f"Standard {i}", f"Standard {i}",
          i % 10 + 1, i % 5 + 1, "2020", True, "2026-01-01T00:00:00Z")
         for i in range(standards)),
    )  # fmt: skip
    copy(
        cursor, "skills_competencyunit",
        ["id", "standard_id", "code", "title_ms", "title_en", "hours", '"order"'],
        ((s * 4 + u + 1, s + 1, f"A{s:03d}-C0{u}", f"Unit {u}", f"Unit {u}", 40, u)
         for s in range(standards) for u in range(4)),
    )  # fmt: skip
    copy(
        cursor, "skills_centre", ["id", "code", "name", "state_id", "address", "email",
                                  "is_active"],
        ((i + 1, f"PB-{i:04d}", f"Pusat Latihan {i}", states[i % len(states)].pk, "", "", True)
         for i in range(centres)),
    )  # fmt: skip


def reset_sequences(cursor, tables, analyze=True):
    """Set each table's id sequence past its rows (and ANALYZE it)."""
    for table in tables:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                       f"(SELECT max(id) FROM {table}))")  # fmt: skip
        if analyze:
            cursor.execute(f"ANALYZE {table}")
