"""Tests of the `civitas` commands, and helpers to run them."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command


def run(*args: str, **options: Any) -> tuple[str, str]:
    """Run a command as the `civitas` entry point would; return its stdout and stderr."""
    stdout, stderr = StringIO(), StringIO()
    call_command(*args, stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


def fails(*args: str) -> str:
    """Run a command that must refuse its input with exit status 2; return the message."""
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2, caught.value
    return str(caught.value)
