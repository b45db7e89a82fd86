"""Write many rows of one model at once, with their change history, in the caller's transaction.

Importers validate everything in Python first and then need to write tens of thousands of
rows quickly. Building a model instance per row (or calling a service per row) costs
more than the database does, so rows here are plain dicts of column values (attribute
names such as `type_id`) turned into tuples once and sent with `executemany` (SQLite) or
`COPY` (PostgreSQL). The change history gets one row per written row, as a save through
django-simple-history would have added, so that the registry's history shows the import.

Ids are handed out before the insert (`allocate_ids`), so rows can point at each other
(a unit at its parent) and history rows can name them, without reading them back.
"""

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from operator import itemgetter
from typing import Any

from django.db import connection, models

from civitas.core.errors import ConflictError
from civitas.core.fields import SEPARATOR, CodeSetField

# Rows per executemany call: large enough to be fast, small enough to report progress.
BATCH = 5_000

Row = dict[str, Any]
Converter = Callable[[Any], Any]

_PLAIN_TYPES = {
    "AutoField", "BigAutoField", "SmallAutoField", "BigIntegerField", "IntegerField",
    "PositiveBigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
    "SmallIntegerField", "BooleanField", "CharField", "TextField", "SlugField", "URLField",
    "EmailField", "ForeignKey",
}  # fmt: skip


@dataclass(frozen=True)
class HistoryStamp:
    """Who made a bulk change, when, and why: what each history row records."""

    user_id: int | None
    date: datetime
    reason: str = ""


@contextmanager
def garbage_collection_paused() -> Iterator[None]:
    """Pause Python's cycle collector while many objects are built that all stay alive.

    A bulk import creates hundreds of thousands of lists and dicts; each collection would
    walk all of them again, which costs more than the import itself. Nothing they hold
    forms a cycle, so reference counting frees them. Leave the block only once they are
    gone (return from the function that holds them inside it): the collector then has
    little left to walk.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def code_set(values: Any) -> str:
    """Return a list of codes in the stored form of a CodeSetField ("|a|b|")."""
    if isinstance(values, str):
        return values
    return f"{SEPARATOR}{SEPARATOR.join(values)}{SEPARATOR}" if values else ""


def _quoted(field: Any) -> str:
    """Return a field's column name, quoted for SQL."""
    return str(connection.ops.quote_name(str(field.column)))


def _converter(field: "models.Field[Any, Any]") -> Converter | None:
    """Return how a Python value of the field becomes a database value (None: as it is)."""
    if isinstance(field, CodeSetField):
        return code_set
    if field.get_internal_type() in _PLAIN_TYPES:
        return None
    # Most rows of a bulk write share a few values (the time of the import, no value):
    # convert each distinct value once.
    converted: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        if value is None:
            return None
        try:
            return converted[value]
        except KeyError:
            if len(converted) > 1_000:
                converted.clear()
            result = converted[value] = field.get_db_prep_save(value, connection)
            return result
        except TypeError:  # an unhashable value
            return field.get_db_prep_save(value, connection)

    return convert


def concrete_attnames(model: type[models.Model]) -> list[str]:
    """Return the column attributes of a model (`type_id` for a foreign key `type`)."""
    return [field.attname for field in model._meta.concrete_fields]


def defaults_of(model: type[models.Model]) -> Row:
    """Return every concrete field's default value, as a new instance would get it."""
    return {field.attname: field.get_default() for field in model._meta.concrete_fields}


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Reserve `count` new primary keys of a model, inside the current transaction.

    PostgreSQL takes them from the table's sequence. SQLite continues after the highest id
    ever used (AUTOINCREMENT keeps it in sqlite_sequence); the transaction holds the
    database's write lock (Civitas opens SQLite transactions IMMEDIATE), so no one else
    can take the same ids, and should anyone try, the primary key refuses the second row.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = str(model._meta.pk.column)  # type: ignore[union-attr]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX({quote(pk)}) FROM {quote(table)}")  # noqa: S608
        highest = cursor.fetchone()[0] or 0
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            sequence = cursor.fetchone()
            highest = max(highest, sequence[0] if sequence else 0)
    return list(range(highest + 1, highest + 1 + count))


class BulkTable:
    """Plain-SQL inserts and updates of one model's table."""

    def __init__(self, model: type[models.Model], columns: Sequence[str] | None = None) -> None:
        self.model = model
        fields = {field.attname: field for field in model._meta.concrete_fields}
        self.columns = list(columns) if columns is not None else list(fields)
        self.table = model._meta.db_table
        self._db_columns = [str(fields[name].column) for name in self.columns]
        self._pick = itemgetter(*self.columns) if len(self.columns) > 1 else None
        self._conversions = [
            (position, converter)
            for position, name in enumerate(self.columns)
            if (converter := _converter(fields[name])) is not None
        ]

    def values(self, row: Row) -> list[Any]:
        """Return a row's values in column order, as the database takes them."""
        values = list(self._pick(row)) if self._pick else [row[self.columns[0]]]
        for position, converter in self._conversions:
            values[position] = converter(values[position])
        return values

    def insert(self, rows: Iterable[Row], *, progress: Callable[[int], None] | None = None) -> int:
        """Insert rows (dicts holding every column); return how many were written."""
        quote = connection.ops.quote_name
        names = ", ".join(quote(column) for column in self._db_columns)
        written = 0
        iterator = iter(rows)
        if connection.vendor == "postgresql":
            raw = connection.cursor().cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {quote(self.table)} ({names}) FROM STDIN") as copy:
                for row in iterator:
                    copy.write_row(self.values(row))
                    written += 1
                    if progress and written % BATCH == 0:
                        progress(written)
        else:
            marks = ", ".join(["%s"] * len(self._db_columns))
            sql = f"INSERT INTO {quote(self.table)} ({names}) VALUES ({marks})"  # noqa: S608
            with connection.cursor() as cursor:
                while batch := [self.values(row) for row in islice(iterator, BATCH)]:
                    cursor.executemany(sql, batch)
                    written += len(batch)
                    if progress:
                        progress(written)
        if progress:
            progress(written)
        return written

    def update(
        self,
        rows: Sequence[Row],
        *,
        columns: Sequence[str],
        expected_versions: Sequence[int] | None = None,
    ) -> int:
        """Write `columns` of existing rows, found by primary key.

        With `expected_versions` (one per row) a row is written only if its stored
        `version` still equals the expected one; if any was changed meanwhile, raise
        ConflictError so that the caller's transaction rolls back.
        """
        if not rows:
            return 0
        fields = {field.attname: field for field in self.model._meta.concrete_fields}
        quote = connection.ops.quote_name
        pk = self.model._meta.pk.attname  # type: ignore[union-attr]
        assignments = ", ".join(f"{_quoted(fields[name])} = %s" for name in columns)
        where = f"{_quoted(fields[pk])} = %s"
        if expected_versions is not None:
            where += f" AND {_quoted(fields['version'])} = %s"
        sql = f"UPDATE {quote(self.table)} SET {assignments} WHERE {where}"  # noqa: S608
        converters = [_converter(fields[name]) for name in columns]

        def parameters(index: int, row: Row) -> list[Any]:
            values = [
                converter(row[name]) if converter else row[name]
                for name, converter in zip(columns, converters, strict=True)
            ]
            values.append(row[pk])
            if expected_versions is not None:
                values.append(expected_versions[index])
            return values

        changed = 0
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                batch = [
                    parameters(start + offset, row)
                    for offset, row in enumerate(rows[start : start + BATCH])
                ]
                cursor.executemany(sql, batch)
                changed += max(cursor.rowcount, 0)
        if expected_versions is not None and changed != len(rows):
            raise ConflictError(
                "Someone changed some of these records while the import ran. Nothing was "
                "written: run the import again."
            )
        return changed


def _id_ranges(ids: Sequence[int]) -> list[tuple[int, int]]:
    """Return sorted ids as runs of consecutive numbers (first, last)."""
    runs: list[tuple[int, int]] = []
    for number in sorted(ids):
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def copy_to_history(
    model: type[models.Model], ids: Sequence[int], *, history_type: str, stamp: HistoryStamp
) -> None:
    """Add one history row per stored row with these ids, copied by the database itself.

    The rows are read back from the table as they now stand (after the caller's insert or
    update), so no Python object is built per row.
    """
    if not ids:
        return
    history_model = model.history.model  # type: ignore[attr-defined]
    quote = connection.ops.quote_name
    stamp_values = {
        "history_date": stamp.date,
        "history_change_reason": stamp.reason[:100] or None,
        "history_type": history_type,
        "history_user_id": stamp.user_id,
    }
    history_fields = {field.attname: field for field in history_model._meta.concrete_fields}
    own_fields = {field.attname: field for field in model._meta.concrete_fields}
    targets, sources, parameters = [], [], []
    for attname, field in history_fields.items():
        if attname == "history_id":
            continue
        targets.append(_quoted(field))
        if attname in stamp_values:
            sources.append("%s")
            parameters.append(field.get_db_prep_save(stamp_values[attname], connection))
        else:
            sources.append(_quoted(own_fields[attname]))
    pk = _quoted(model._meta.pk)
    sql = (
        f"INSERT INTO {quote(history_model._meta.db_table)} ({', '.join(targets)}) "  # noqa: S608
        f"SELECT {', '.join(sources)} FROM {quote(model._meta.db_table)} WHERE "
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(sql + f"{pk} = ANY(%s)", [*parameters, list(ids)])
            return
        runs = _id_ranges(ids)
        for start in range(0, len(runs), 500):
            chunk = runs[start : start + 500]
            condition = " OR ".join([f"{pk} BETWEEN %s AND %s"] * len(chunk))
            cursor.execute(
                sql + f"({condition})",
                [*parameters, *(bound for run in chunk for bound in run)],
            )


def delete_rows(model: type[models.Model], ids: Sequence[int]) -> None:
    """Delete rows by primary key with plain SQL (no signals: record the history first)."""
    pk = _quoted(model._meta.pk)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({marks})", chunk)  # noqa: S608


def insert_history(
    model: type[models.Model],
    rows: Iterable[Row],
    *,
    history_type: str,
    stamp: HistoryStamp,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Add one history row per written row ("+" created, "~" changed), as a save would."""
    history_model = model.history.model  # type: ignore[attr-defined]
    columns = [name for name in concrete_attnames(history_model) if name != "history_id"]
    stamp_values = {
        "history_date": stamp.date,
        "history_change_reason": stamp.reason[:100] or None,
        "history_type": history_type,
        "history_user_id": stamp.user_id,
    }
    table = BulkTable(history_model, columns)
    own = [name for name in columns if name not in stamp_values]

    def entries() -> Iterable[Row]:
        for row in rows:
            entry = {name: row[name] for name in own}
            entry.update(stamp_values)
            yield entry

    return table.insert(entries(), progress=progress)
