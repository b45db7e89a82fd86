"""Import of a 100,000-row stakeholder CSV against a raw bulk insert; export memory.

Targets (issue 3):
- importing the file into one city reaches at least 0.25 x the rows per second of raw
  `sqlite3.executemany` inserting the same rows, in one transaction, into a table equal
  to the stakeholder table (same columns, constraints and indexes); on PostgreSQL at
  least 0.2 x psycopg `COPY` into such a table;
- exporting 100,000 stakeholders peaks at no more than 1.5 x the memory of exporting
  10,000 (Python allocations, measured with tracemalloc), in CSV, XLSX and JSON.

Both sides start from the same CSV file on disk and parse it: the baseline with the csv
module (then one executemany or COPY), ours with the importer (read, check every row,
write the rows and their change history). Each timing is the median of --repeat runs.

Run: `.venv/bin/python bench/import_export.py` (SQLite in a throw-away directory). For
PostgreSQL point DATABASE_URL at a database named civitas_bench...; it is dropped and
created again for a clean run, e.g.
`DATABASE_URL=postgres://root@127.0.0.1:5432/civitas_bench .venv/bin/python bench/import_export.py`
"""

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import setup_django

IMPORT_TARGET = {"sqlite": 0.25, "postgresql": 0.2}
MEMORY_LIMIT = 1.5
SMALL_EXPORT = 10_000


def recreate_postgres_database(url: str) -> None:
    """Drop and create the bench database (only one whose name starts with civitas_bench)."""
    from urllib.parse import urlparse

    import psycopg

    name = urlparse(url).path.lstrip("/")
    if not name.startswith("civitas_bench"):
        sys.exit(f"Refusing to recreate the database '{name}': use one named civitas_bench...")
    maintenance = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def write_csv(path: Path, rows: int) -> None:
    """Write a registry of `rows` stakeholders as a city would keep it in a spreadsheet."""
    from civitas.catalogue.models import StakeholderType, TypeKind

    rng = random.Random(3)
    generic = list(StakeholderType.objects.filter(kind=TypeKind.GENERIC))
    types = [t.code for t in generic] + [t.name for t in generic[:4]]
    levels = ["local", "local; national", "national", "sub_national; national", "international"]
    sectors = ["public", "private", "civil_society", "academia", "international", "citizens", ""]
    tags = ["energy", "mobility", "water", "data", "housing", "health", "waste"]
    words = ["cooperative", "agency", "network", "association", "institute", "council",
             "group", "union"]  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["name", "type", "levels", "sector", "description", "website", "tags"])
        for number in range(rows):
            word = rng.choice(words)
            writer.writerow(
                [
                    f"{word.title()} {number:06d}",
                    rng.choice(types),
                    rng.choice(levels),
                    rng.choice(sectors),
                    f"A {word} working on {rng.choice(tags)} in the city, listed for the benchmark.",
                    f"https://{word}{number}.example.org" if number % 3 == 0 else "",
                    "; ".join(rng.sample(tags, rng.randint(0, 3))),
                ]
            )


def median_time(action: Callable[[int], Any], repeat: int) -> float:
    samples = []
    for run in range(repeat):
        start = time.perf_counter()
        action(run)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def raw_rows(path: Path, city_id: int) -> list[tuple[Any, ...]]:
    """Parse the CSV into stakeholder rows as plainly as possible (part of the baseline)."""
    from civitas.catalogue.models import StakeholderType

    type_ids: dict[str, Any] = {}
    defaults: dict[Any, Any] = {}
    for stakeholder_type in StakeholderType.objects.all():
        type_ids[stakeholder_type.code] = type_ids[stakeholder_type.name.lower()] = (
            stakeholder_type.pk
        )
        defaults[stakeholder_type.pk] = stakeholder_type.default_sector
    now = "2026-01-01 00:00:00"
    rows = []
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.reader(file)
        next(reader)
        for name, type_text, levels, sector, description, website, tags in reader:
            type_id = type_ids.get(type_text) or type_ids[type_text.lower()]
            rows.append(
                (
                    now,
                    now,
                    1,
                    city_id,
                    type_id,
                    "organization",
                    None,
                    name,
                    "|" + levels.replace("; ", "|") + "|",
                    sector or defaults[type_id],
                    description,
                    website,
                    "|" + tags.replace("; ", "|") + "|" if tags else "",
                    "",
                    "",
                    False,
                    False,
                    None,
                )  # fmt: skip
            )
    return rows


RAW_COLUMNS = (
    "created_at, updated_at, version, city_id, type_id, kind, parent_id, name, levels, sector, "
    "description, website, tags, identified_as, validation_steps, confidential, "
    "is_placeholder, archived_at"
)


def sqlite_baseline(path: Path, city_id: int, repeat: int) -> float:
    """Time csv parsing + one executemany into a copy of the stakeholder table's schema."""
    import sqlite3

    from django.conf import settings

    database = settings.DATABASES["default"]["NAME"]
    raw = sqlite3.connect(database, isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=NORMAL")
    schema = raw.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'stakeholders_stakeholder' "
        "AND sql IS NOT NULL"
    ).fetchall()

    def copy_of(sql: str) -> str:
        sql = sql.replace('"stakeholders_stakeholder"', '"bench_raw_stakeholder"')
        return sql.replace('INDEX "', 'INDEX "bench_raw_')

    def run(_: int) -> None:
        raw.execute('DROP TABLE IF EXISTS "bench_raw_stakeholder"')
        for _kind, _name, sql in sorted(schema, key=lambda item: item[0] != "table"):
            raw.execute(copy_of(sql))
        start = time.perf_counter()
        raw.execute("BEGIN")
        raw.executemany(
            f"INSERT INTO bench_raw_stakeholder ({RAW_COLUMNS}) VALUES ({', '.join(['?'] * 18)})",  # noqa: S608
            raw_rows(path, city_id),
        )
        raw.execute("COMMIT")
        timings.append(time.perf_counter() - start)

    timings: list[float] = []
    for number in range(repeat):
        run(number)
    raw.execute('DROP TABLE IF EXISTS "bench_raw_stakeholder"')
    raw.close()
    return statistics.median(timings)


def postgres_baseline(path: Path, city_id: int, repeat: int) -> float:
    """Time csv parsing + COPY into a table LIKE the stakeholder table (all indexes)."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    timings = []
    with psycopg.connect(url, autocommit=True) as connection:
        for _ in range(repeat):
            connection.execute("DROP TABLE IF EXISTS bench_raw_stakeholder")
            connection.execute(
                "CREATE TABLE bench_raw_stakeholder (LIKE stakeholders_stakeholder INCLUDING ALL)"
            )
            start = time.perf_counter()
            with (
                connection.transaction(),
                connection.cursor() as cursor,
                cursor.copy(f"COPY bench_raw_stakeholder ({RAW_COLUMNS}) FROM STDIN") as copy,
            ):
                for row in raw_rows(path, city_id):
                    copy.write_row(row)
            timings.append(time.perf_counter() - start)
        connection.execute("DROP TABLE IF EXISTS bench_raw_stakeholder")
    return statistics.median(timings)


def import_file(path: Path, slug: str, owner: Any) -> Any:
    from civitas.cities.services import city_create
    from civitas.core.imports import read_table
    from civitas.stakeholders.imports import stakeholder_import

    city = city_create(slug=slug, name=slug.title(), by=owner)
    start = time.perf_counter()
    result = stakeholder_import(
        city=city, table=read_table(path.read_bytes()), by=owner, reason="Benchmark"
    )
    elapsed = time.perf_counter() - start
    assert result.ok and result.created == result.total, result.problems[:3]
    return city, elapsed


def export_registry(city: Any, format: str) -> None:
    """Export the city's registry to a throw-away file."""
    from civitas.reports import exports

    records = exports.KINDS["registry"].records(city=city, user=None)
    with tempfile.TemporaryFile() as file:
        if format == "xlsx":
            exports.export_xlsx("registry", records, file)
        else:
            for piece in exports.export_text("registry", format, records, city=city):
                file.write(piece.encode())


def export_peak(city: Any, format: str) -> tuple[int, float]:
    """Return the peak of Python memory (bytes) of an export, and its time (untraced)."""
    import gc

    start = time.perf_counter()
    export_registry(city, format)
    elapsed = time.perf_counter() - start
    gc.collect()
    tracemalloc.start()
    export_registry(city, format)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        recreate_postgres_database(url)
    setup_django()
    from django.db import connection

    from civitas.accounts.models import User
    from civitas.cities.services import city_create

    vendor = connection.vendor
    owner = User.objects.create_user("bench-owner", password="bench-password-123")  # noqa: S106
    workdir = Path(tempfile.mkdtemp(prefix="civitas-bench-files-"))
    big, small = workdir / "registry.csv", workdir / "registry-small.csv"
    write_csv(big, options.rows)
    write_csv(small, SMALL_EXPORT)
    print(f"database: {vendor}; file: {options.rows:,} rows, {big.stat().st_size / 1e6:.1f} MB")

    failed = False
    print("\nImport (median of", options.repeat, "runs)")
    baseline_city = city_create(slug="raw", name="Raw", by=None)
    if vendor == "postgresql":
        baseline_name = "psycopg COPY (csv parsed, one transaction)"
        raw_seconds = postgres_baseline(big, baseline_city.pk, options.repeat)
    else:
        baseline_name = "sqlite3 executemany (csv parsed, one transaction)"
        raw_seconds = sqlite_baseline(big, baseline_city.pk, options.repeat)
    cities = []

    def ours(run: int) -> None:
        cities.append(import_file(big, f"import-{run}", owner)[0])

    our_seconds = median_time(ours, options.repeat)
    raw_rate, our_rate = options.rows / raw_seconds, options.rows / our_seconds
    ratio = our_rate / raw_rate
    target = IMPORT_TARGET.get(vendor, 0.25)
    ok = ratio >= target
    failed |= not ok
    print(f"{'what':58} {'seconds':>8} {'rows/s':>10}")
    print(f"{baseline_name:58} {raw_seconds:8.2f} {raw_rate:10,.0f}")
    print(f"{'civitas import stakeholders (read, check, write, history)':58} "
          f"{our_seconds:8.2f} {our_rate:10,.0f}")  # fmt: skip
    print(f"ratio {ratio:.2f} (target >= {target})  {'PASS' if ok else 'FAIL'}")

    city = cities[0]
    from civitas.core.imports import read_table
    from civitas.stakeholders.imports import stakeholder_import

    start = time.perf_counter()
    again = stakeholder_import(city=city, table=read_table(big.read_bytes()), by=owner)
    print(f"re-import of the same file (all {again.unchanged:,} unchanged): "
          f"{time.perf_counter() - start:.2f} s  (for information)")  # fmt: skip
    history = city.stakeholders.first().history.count()
    print(f"change history rows per imported stakeholder: {history}")

    print(
        f"\nExport of the registry: peak Python memory, {SMALL_EXPORT:,} vs {options.rows:,} rows"
    )
    small_city, _ = import_file(small, "small", owner)
    print(f"{'format':8} {'peak@10k':>12} {'peak@100k':>12} {'ratio':>6} {'s@100k':>7}  verdict")
    for format in ("csv", "xlsx", "json"):
        small_peak, _ = export_peak(small_city, format)
        large_peak, seconds = export_peak(city, format)
        memory_ratio = large_peak / small_peak
        ok = memory_ratio <= MEMORY_LIMIT
        failed |= not ok
        print(f"{format:8} {small_peak / 1e6:10.2f}MB {large_peak / 1e6:10.2f}MB "
              f"{memory_ratio:6.2f} {seconds:7.2f}  {'PASS' if ok else 'FAIL'}")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
