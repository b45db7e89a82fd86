"""Show how far a long import has come: on a terminal, and (civitas.reports.jobs) in the UI."""

from typing import Any

STAGES = {
    "checking": "Checking rows",
    "writing": "Writing rows",
    "recording history": "Recording the change history",
}


def describe(stage: str, done: int, total: int) -> str:
    """Say in words how far a stage has come."""
    label = STAGES.get(stage, stage.capitalize())
    if total <= 0:
        return f"{label}…"
    return f"{label}: {done:,} of {total:,} ({done * 100 // total}%)"


class TerminalProgress:
    """Print progress to a stream: one updated line on a terminal, a few lines otherwise."""

    # Below this many rows an import is quick: say nothing.
    QUIET_BELOW = 5_000

    def __init__(self, stream: Any, *, quiet: bool = False) -> None:
        self.stream = stream
        self.quiet = quiet
        self.interactive = bool(getattr(stream, "isatty", lambda: False)())
        self.stage = ""
        self.step = -1
        self.open_line = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.quiet or total < self.QUIET_BELOW:
            return
        if self.interactive:
            self.stream.write("\r" + describe(stage, done, total).ljust(60), ending="")
            self.stream.flush()
            self.open_line = True
            return
        step = done * 4 // total if total else 0  # a line at 0, 25, 50, 75 and 100 %
        if stage != self.stage or step != self.step:
            self.stage, self.step = stage, step
            self.stream.write(describe(stage, done, total))

    def done(self) -> None:
        """End the progress line, if one is open."""
        if self.open_line:
            self.stream.write("")
            self.open_line = False
