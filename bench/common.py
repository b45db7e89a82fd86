"""Shared set-up for benchmarks: a throw-away database and timing helpers."""

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def setup_django() -> None:
    """Point Django at a fresh data directory (SQLite) unless DATABASE_URL is set, then migrate."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    if not os.environ.get("DATABASE_URL"):
        os.environ["CIVITAS_DATA_DIR"] = tempfile.mkdtemp(prefix="civitas-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civitas.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from civitas.catalogue.services import catalogue_load

    catalogue_load()


def median_seconds(action: Callable[[], Any], *, repeat: int = 30, warmup: int = 3) -> float:
    """Return the median wall time of `action` over `repeat` runs, after a warm-up."""
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def verdict(ratio: float, limit: float) -> str:
    return "PASS" if ratio <= limit else "FAIL"


def paired_median_seconds(
    first: Callable[[], Any], second: Callable[[], Any], *, repeat: int = 40, warmup: int = 3
) -> tuple[float, float]:
    """Return the median wall times of two actions run alternately.

    Alternating keeps both exposed to the same machine load, which on a shared machine
    drifts more than the difference being measured.
    """
    for _ in range(warmup):
        first()
        second()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for action, bucket in ((first, samples[0]), (second, samples[1])):
            start = time.perf_counter()
            action()
            bucket.append(time.perf_counter() - start)
    return statistics.median(samples[0]), statistics.median(samples[1])
