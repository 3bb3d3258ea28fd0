"""Bulk SQL for ingestion: counting upserts, conflict-ignoring inserts, big IN lookups.

Plain SQL that runs unchanged on SQLite and PostgreSQL, used where the ORM's per-object
work would dominate ingestion time (building model instances and compiling one
placeholder per value costs more than the database does).

- :func:`upsert_add`: ``INSERT … ON CONFLICT (key) DO UPDATE SET n = n + excluded.n``;
  rows are summed per key in Python first, so one statement never touches a row twice
  (PostgreSQL refuses that);
- :func:`insert_ignore`: ``INSERT … ON CONFLICT DO NOTHING`` for many rows;
- :func:`select_in`: a ``WHERE column IN (…)`` query for thousands of values.

Table and column names always come from code, never from input.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection

# Rows per INSERT statement (SQLite allows 32,766 parameters per statement).
_ROWS_PER_STATEMENT = 400


def upsert_add(
    table: str,
    key_columns: Sequence[str],
    add_columns: Sequence[str],
    rows: Iterable[tuple[tuple[Any, ...], Sequence[int]]],
) -> int:
    """Add ``rows`` (``(key values, numbers to add)``) to ``table``; returns keys written.

    ``table`` and column names come from code, never from input. Runs in the caller's
    transaction. Numbers must not be negative (the inserted row would fail the columns'
    CHECK constraints before the conflict is seen): use :func:`subtract` for that.
    """
    summed: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0] * len(add_columns))
    for key, values in rows:
        entry = summed[key]
        for i, value in enumerate(values):
            entry[i] += int(value or 0)
    if not summed:
        return 0
    columns = [*key_columns, *add_columns]
    adapt = adapter()
    qn = connection.ops.quote_name
    column_sql = ", ".join(qn(c) for c in columns)
    update_sql = ", ".join(f"{qn(c)} = {qn(table)}.{qn(c)} + excluded.{qn(c)}" for c in add_columns)
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    items = list(summed.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), _ROWS_PER_STATEMENT):
            batch = items[start : start + _ROWS_PER_STATEMENT]
            params: list[Any] = []
            dated = [i for i, v in enumerate(batch[0][0]) if isinstance(v, date)]
            for key, values in batch:
                if dated:
                    key = tuple(adapt(v) if i in dated else v for i, v in enumerate(key))
                params.extend(key)
                params.extend(values)
            # Table and column names come from code; values are bound.
            sql = (
                f"INSERT INTO {qn(table)} ({column_sql}) VALUES "  # noqa: S608
                + ", ".join([placeholder] * len(batch))
                + f" ON CONFLICT ({', '.join(qn(c) for c in key_columns)}) DO UPDATE SET "
                + update_sql
            )
            cursor.execute(sql, params)
    return len(summed)


def _adapt_sqlite(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _same(value: Any) -> Any:
    return value


def adapter():
    """The function that prepares a date or time for raw SQL on the current database.

    Raw SQL gets no field conversion: dates and times must be stored exactly as the ORM
    stores them (naive UTC text on SQLite), or unique keys and lookups would not match.
    Look it up once per statement: reading ``connection.vendor`` is not free.
    """
    return _adapt_sqlite if connection.vendor == "sqlite" else _same


def _adapt(value: Any) -> Any:
    """:func:`adapter` applied to one value."""
    return adapter()(value)


def hour_of(moment: datetime) -> datetime:
    """The start of the UTC hour of an aware datetime."""
    return moment.replace(minute=0, second=0, microsecond=0)


def local_day(moment: datetime, offset: timedelta) -> Any:
    """The calendar day of ``moment`` in a zone with a fixed UTC ``offset`` (WIB/WITA/WIT)."""
    return (moment + offset).date()


def insert_ignore(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (tuples in ``columns`` order), skipping rows that violate a unique
    constraint. Values go through :func:`_adapt` (dates and times as the ORM stores them)."""
    if not rows:
        return
    qn = connection.ops.quote_name
    adapt = adapter()
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_statement = max(1, min(_ROWS_PER_STATEMENT, 30_000 // len(columns)))
    # Adapt only the columns that need it (judged on the first row): per-value calls would
    # cost more than the insert.
    needs = [i for i, v in enumerate(rows[0]) if isinstance(v, date)]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            if needs:
                adapted = []
                for row in batch:
                    row = list(row)
                    for i in needs:
                        row[i] = adapt(row[i])
                    adapted.append(row)
                batch = adapted
            params = [v for row in batch for v in row]
            cursor.execute(
                f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) VALUES "  # noqa: S608
                + ", ".join([placeholder] * len(batch))
                + " ON CONFLICT DO NOTHING",
                params,
            )


def select_in(
    sql: str, values: Sequence[Any], params: Sequence[Any] = (), *, per_query: int = 5000
) -> list[tuple]:
    """Run ``sql`` (containing one ``IN ({in})`` placeholder) for ``values`` in batches and
    return all rows. ``params`` are bound before the IN values."""
    out: list[tuple] = []
    if not values:
        return out
    adapt = adapter()
    values = list(values)
    with connection.cursor() as cursor:
        for start in range(0, len(values), per_query):
            batch = values[start : start + per_query]
            if isinstance(batch[0], date):
                batch = [adapt(v) for v in batch]
            cursor.execute(sql.format(**{"in": ", ".join(["%s"] * len(batch))}),
                           [*params, *batch])  # fmt: skip
            out.extend(cursor.fetchall())
    return out


def subtract(
    table: str,
    key_columns: Sequence[str],
    columns: Sequence[str],
    rows: Iterable[tuple[tuple[Any, ...], Sequence[int]]],
) -> None:
    """Subtract numbers from existing rows (``(key values, numbers)``); never below zero."""
    qn = connection.ops.quote_name
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    sets = ", ".join(f"{qn(c)} = {greatest}(0, {qn(c)} - %s)" for c in columns)
    where = " AND ".join(f"{qn(c)} = %s" for c in key_columns)
    sql = f"UPDATE {qn(table)} SET {sets} WHERE {where}"  # noqa: S608 - names from code
    adapt = adapter()
    params = [[*values, *(adapt(v) for v in key)] for key, values in rows]
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
