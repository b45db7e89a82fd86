"""What every `civitas` command shares: plain error messages, exit status 2, output formats."""

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civitas.core.errors import (
    ConflictError,
    PermissionDeniedError,
    ValidationError,
    error_messages,
)

# Bad input exits with this status, as argparse does for a bad command line.
BAD_INPUT = 2


def fail(message: str) -> NoReturn:
    """Stop the command with a message on stderr and exit status 2."""
    raise CommandError(message, returncode=BAD_INPUT)


def describe_validation_error(error: ValidationError) -> str:
    """Return a ValidationError as lines of "field: message"."""
    lines = []
    for field, messages in error_messages(error).items():
        for message in messages:
            lines.append(message if field == "__all__" else f"{field}: {message}")
    return "\n".join(lines)


class CivitasParser(CommandParser):
    """A parser whose errors exit with status 2 also when called through call_command."""

    def error(self, message: str) -> NoReturn:
        if self.called_from_command_line:
            super().error(message)
        fail(message)


class CommandErrorsMixin:
    """Turn the errors services raise into a clear message and exit status 2."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)  # type: ignore[misc]
        # Django builds the parser itself; swapping the class keeps its set-up and only
        # changes how a bad argument is reported. Subparsers get it in add_subcommands.
        parser.__class__ = CivitasParser
        return parser

    def run_from_argv(self, argv: list[str]) -> None:
        try:
            super().run_from_argv(argv)  # type: ignore[misc]
        except BrokenPipeError:
            # The reader went away (e.g. `| head`): stop quietly instead of a traceback.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(1)

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)  # type: ignore[misc]
        except ValidationError as error:
            fail(describe_validation_error(error))
        except (PermissionDeniedError, ConflictError) as error:
            fail(str(error))


class CivitasCommand(CommandErrorsMixin, BaseCommand):
    """Base of the project's commands; subcommands dispatch to `handle_<name>` methods."""

    # Data commands skip the system checks: `civitas check` runs them, and they would
    # slow every call and make it depend on the whole site loading.
    requires_system_checks: list[str] = []

    def add_subcommands(self, parser: CommandParser) -> Any:
        """Add a required subcommand chooser to the parser and return it."""
        return parser.add_subparsers(
            dest="subcommand", required=True, title="subcommands", parser_class=CivitasParser
        )

    def handle(self, *args: Any, **options: Any) -> None:
        subcommand = options.get("subcommand")
        handler: Callable[..., None] | None = getattr(
            self, f"handle_{str(subcommand).replace('-', '_')}", None
        )
        if handler is None:
            fail(f"Unknown subcommand '{subcommand}'.")
        handler(**options)

    def write_json(self, data: Any) -> None:
        """Write data as indented JSON to stdout."""
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def add_format_argument(
    parser: CommandParser, choices: Sequence[str], default: str | None = None
) -> None:
    """Add `--format` with the given choices (required when there is no default)."""
    parser.add_argument(
        "--format",
        choices=list(choices),
        default=default,
        required=default is None,
        help=f"Output format: {', '.join(choices)}"
        + (f" (default: {default})." if default else "."),
    )


def table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    """Return rows as lines of left-aligned columns under a header and a rule."""
    cells = [[str(value) for value in header]] + [
        ["" if value is None else str(value) for value in row] for row in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "  ".join(
            cell.ljust(width) for cell, width in zip(row, widths, strict=True)
        ).rstrip()

    return [line(cells[0]), line(["-" * width for width in widths])] + [
        line(row) for row in cells[1:]
    ]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_output(path: str | os.PathLike[str], *, binary: bool = False) -> Any:
    """Open a file for writing that appears under `path` only if everything was written.

    The data goes to a temporary file beside the target, renamed over it at the end, so a
    failed export never leaves a half-written file behind.
    """
    target = Path(path)
    if target.is_dir():
        fail(f"Cannot write to {target}: it is a directory.")
    if not target.parent.exists():
        fail(f"Cannot write to {target}: the folder {target.parent} does not exist.")
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part"
        )
    except OSError as error:
        fail(f"Cannot write to {target}: {error.strerror}.")
    handle: IO[Any]
    if binary:
        handle = os.fdopen(descriptor, "wb")
    else:
        handle = os.fdopen(descriptor, "w", encoding="utf-8", newline="")
    try:
        with handle:
            yield handle
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
