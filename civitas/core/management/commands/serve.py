"""Serve Civitas with gunicorn, a production-grade WSGI server; WhiteNoise serves static files."""

import os
from typing import Any

from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections
from gunicorn.app.base import BaseApplication

from civitas.core.cli import fail


def default_workers() -> int:
    """Return how many worker processes to start when none is asked for."""
    # gunicorn's rule of thumb is 2 × cores + 1. We cap it at 4: with the embedded SQLite
    # database every write takes one lock, so more processes only queue behind it, and
    # each worker also runs several threads. PostgreSQL sites raise it with --workers.
    if env := os.environ.get("WEB_CONCURRENCY"):
        if not env.strip().isdigit():
            fail(f"WEB_CONCURRENCY must be a number of workers, not '{env}'.")
        return int(env)
    return min(2 * (os.cpu_count() or 1) + 1, 4)


class GunicornServer(BaseApplication):
    """Run gunicorn inside this process, so the installed `civitas` command is enough."""

    def __init__(self, application: WSGIHandler, options: dict[str, Any]) -> None:
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        """Apply our options, skipping any this gunicorn release does not know."""
        for key, value in self.options.items():
            if key in self.cfg.settings:
                self.cfg.set(key, value)

    def load(self) -> WSGIHandler:
        """Return the Django application."""
        return self.application


class Command(BaseCommand):
    help = "Collect the static files, then serve Civitas over HTTP with gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="worker processes (default: 2 × CPU cores + 1, at most 4; or WEB_CONCURRENCY)",
        )
        parser.add_argument("--threads", type=int, default=4, help="threads per worker")

    def handle(self, *args: Any, **options: Any) -> None:
        workers = default_workers() if options["workers"] is None else options["workers"]
        if workers < 1 or options["threads"] < 1:
            fail("--workers and --threads must be at least 1.")
        if not 0 < options["port"] < 65536:
            fail("--port must be between 1 and 65535.")
        call_command("collectstatic", interactive=False, verbosity=0)

        from civitas.wsgi import application

        # Workers are forked from this process: they must not share its database connections.
        connections.close_all()
        host, port = options["host"], options["port"]
        shown_host = f"[{host}]" if ":" in host else host
        self.stdout.write(
            f"Civitas is serving at http://{shown_host}:{port}/ "
            f"({workers} workers × {options['threads']} threads). Press Ctrl+C to stop."
        )
        self.stdout.flush()
        GunicornServer(
            application,
            {
                "bind": f"{shown_host}:{port}",
                "workers": workers,
                "threads": options["threads"],
                "worker_class": "gthread",
                "timeout": 60,
                "graceful_timeout": 20,
                "keepalive": 5,
                "accesslog": "-",
                "errorlog": "-",
                "loglevel": "info",
                "proc_name": "civitas",
                # The control socket lives at one path per user; two servers would clash.
                "control_socket_disable": True,
            },
        ).run()
