"""Benchmark-only settings: production settings plus the baseline view and a high throttle.

Not part of the installed package; refuses to load unless CIVITAS_BENCH_BASELINE=1.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from civitas.settings import *  # noqa: F403

if os.environ.get("CIVITAS_BENCH_BASELINE") != "1":
    raise ImproperlyConfigured("bench.settings_bench is for bench/engagement_load.py only.")

ROOT_URLCONF = "bench.urls_bench"
# The benchmark's clients all come from 127.0.0.1: let them through.
CIVITAS_PUBLIC_SUBMIT_RATE = "100000000/min"
CIVITAS_PUBLIC_READ_RATE = "100000000/min"
