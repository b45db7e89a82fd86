"""Public contribution submissions under load, against a bare Django view inserting one row.

Starts the production server (`civitas serve`: gunicorn) on a free port, once on SQLite in
a fresh data directory and once on PostgreSQL (database civitas_bench_eng, dropped and
recreated), seeds a city with a public open activity, then runs HTTP clients with
keep-alive from a thread pool for --duration seconds per phase, alternating in rounds of
about ten seconds: (a) the bare baseline view,
(b) public contribution submissions, each with a unique submission token.

Targets (issue 5): throughput of (b) at least 0.5 x that of (a); zero errors; every
accepted submission stored exactly once. Run:
`.venv/bin/python bench/engagement_load.py [--duration 60] [--clients 16] [--only sqlite|postgresql]`
"""

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG_DATABASE = "civitas_bench_eng"
PG_URL = f"postgres://root@127.0.0.1:5432/{PG_DATABASE}"
TARGET_RATIO = 0.5
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(database_url: str | None, data_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings_bench",
        CIVITAS_BENCH_BASELINE="1",
        CIVITAS_HTTPS="false",
        CIVITAS_DATA_DIR=data_dir,
        SECRET_KEY="bench-" + uuid.uuid4().hex,
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="ERROR",
    )
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def helper(env: dict[str, str], *args: str) -> Any:
    """Run this script's Django-side helper in a subprocess and return its JSON output."""
    output = subprocess.run(
        [str(BIN / "python"), __file__, *args], env=env, cwd=ROOT, check=True,
        capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(output.stdout.strip().splitlines()[-1])


# Django side (runs in a subprocess with the bench settings).


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed() -> dict[str, Any]:
    """Create a city with a public page and an open public activity, through the services."""
    _django()
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from civitas.catalogue.services import catalogue_load
    from civitas.cities.services import city_create, initiative_create
    from civitas.engagement.services import (
        activity_create,
        activity_open,
        engagement_settings_update,
    )
    from tests.factories import UserFactory

    call_command("migrate", verbosity=0)
    catalogue_load()
    owner = UserFactory(username="bench-owner")
    city = city_create(slug="lumen", name="Lumen", by=owner)
    engagement_settings_update(city=city, by=None, public_page=True)
    initiative = initiative_create(city=city, name="Clean river", by=None)
    start = timezone.now() + timedelta(days=10)
    activity = activity_create(
        initiative=initiative, by=None, kind="consultation", title="River banks",
        starts_at=start, ends_at=start + timedelta(hours=3), channels=["online", "post"],
        is_public=True,
    )  # fmt: skip
    activity_open(activity=activity, by=None)
    return {"slug": city.slug, "activity": activity.pk}


def count(tokens_file: str) -> dict[str, int]:
    """Count the rows of each phase's accepted tokens: stored, distinct and duplicated."""
    _django()
    from django.db.models import Count

    from civitas.engagement.models import Contribution

    tokens = json.loads(Path(tokens_file).read_text())
    result = {}
    for phase, accepted in tokens.items():
        rows = Contribution.objects.filter(submission_token__startswith=phase + "-")
        per_token = rows.values("submission_token").annotate(n=Count("pk"))
        stored = {row["submission_token"]: row["n"] for row in per_token}
        result[phase] = {
            "accepted": len(accepted),
            "distinct_accepted": len(set(accepted)),
            "rows": rows.count(),
            "accepted_stored_once": sum(1 for token in set(accepted) if stored.get(token) == 1),
            "duplicated": sum(1 for n in stored.values() if n > 1),
        }
    return result


# Load side (no Django).


class Client:
    """One HTTP/1.1 client with keep-alive, its CSRF cookie and token."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""
        self.token = ""

    def get_form(self, path: str) -> None:
        self.connection.request("GET", path)
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status}")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith("csrftoken="):
                self.cookie = value.split(";", 1)[0]
        match = CSRF_INPUT.search(body)
        if not match or not self.cookie:
            raise RuntimeError("No CSRF token on the form.")
        self.token = match.group(1).decode()

    def post(self, path: str, data: dict[str, str]) -> tuple[int, bytes]:
        body = urlencode({**data, "csrfmiddlewaretoken": self.token})
        self.connection.request(
            "POST", path, body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie,
                     "Referer": f"http://127.0.0.1:{self.connection.port}/"},
        )  # fmt: skip
        response = self.connection.getresponse()
        return response.status, response.read()


def run_phase(
    port: int, seeded: dict[str, Any], phase: str, duration: float, clients: int
) -> dict[str, Any]:
    """Post for `duration` seconds from `clients` threads; return counts and accepted tokens."""
    slug, activity = seeded["slug"], seeded["activity"]
    form_path = f"/public/{slug}/activities/{activity}/"
    post_path = (
        f"/public/{slug}/activities/{activity}/contribute/"
        if phase == "submission"
        else f"/bench/baseline/{activity}/"
    )
    accepted: list[list[str]] = [[] for _ in range(clients)]
    errors: list[str] = []
    lock = threading.Lock()
    start_barrier = threading.Barrier(clients + 1)
    deadline = [0.0]

    def work(number: int) -> None:
        try:
            client = Client(port)
            client.get_form(form_path)
        except Exception as error:
            # Without its form a client cannot take part: stop the phase rather than hang.
            with lock:
                errors.append(f"no form: {error!r}")
            start_barrier.abort()
            raise
        start_barrier.wait()
        while time.perf_counter() < deadline[0]:
            token = f"{phase}-{uuid.uuid4().hex}"
            data = {"text": "Plant trees along the river.", "stance": "proposal",
                    "consent": "on", "submission_token": token, "website": ""}  # fmt: skip
            try:
                status, body = client.post(post_path, data)
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    errors.append(repr(error))
                client = Client(port)
                client.get_form(form_path)
                continue
            ok = status == 200 and (phase != "submission" or b"Thank you" in body)
            if ok:
                accepted[number].append(token)
            else:
                with lock:
                    errors.append(f"HTTP {status}")
        client.connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + duration
    try:
        start_barrier.wait()
    except threading.BrokenBarrierError:
        for thread in threads:
            thread.join()
        raise SystemExit(f"A client could not load the form {form_path}: {errors[0]}") from None
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    tokens = [token for chunk in accepted for token in chunk]
    return {"tokens": tokens, "errors": errors, "seconds": elapsed,
            "throughput": len(tokens) / elapsed}  # fmt: skip


def wait_for(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if process.poll() is not None:
            raise RuntimeError("The server stopped while starting.")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("The server did not start.")


def reset_postgres() -> None:
    for sql in (f"DROP DATABASE IF EXISTS {PG_DATABASE}", f"CREATE DATABASE {PG_DATABASE}"):
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "root", "-d", "postgres", "-qc", sql],
            check=True, capture_output=True,
        )  # fmt: skip


def bench_backend(name: str, duration: float, clients: int) -> bool:
    data_dir = tempfile.mkdtemp(prefix="civitas-bench-eng-")
    database_url = None
    if name == "postgresql":
        reset_postgres()
        database_url = PG_URL
    env = environment(database_url, data_dir)
    seeded = helper(env, "_seed")
    port = free_port()
    # The server's log goes to a file: a pipe nobody reads would stall it once full.
    server_log = (Path(data_dir) / "server.log").open("wb")
    server = subprocess.Popen(
        [str(BIN / "civitas"), "serve", "--port", str(port)], env=env, cwd=ROOT,
        stdout=server_log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for(port, server)
        # The phases alternate in rounds of about ten seconds, so that a change in the
        # machine's load during the run weighs on both alike; each still runs `duration`.
        rounds = max(1, round(duration / 10))
        results: dict[str, dict[str, Any]] = {
            phase: {"tokens": [], "errors": [], "seconds": 0.0}
            for phase in ("baseline", "submission")
        }
        for _ in range(rounds):
            for phase, total in results.items():
                result = run_phase(port, seeded, phase, duration / rounds, clients)
                for key in ("tokens", "errors", "seconds"):
                    total[key] += result[key]
        for total in results.values():
            total["throughput"] = len(total["tokens"]) / total["seconds"]
    except BaseException:
        print(f"The server's log is in {server_log.name}", file=sys.stderr)
        raise
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        server_log.close()
    tokens_file = Path(data_dir) / "tokens.json"
    tokens_file.write_text(json.dumps({phase: r["tokens"] for phase, r in results.items()}))
    counts = helper(env, "_count", str(tokens_file))
    baseline, submission = results["baseline"], results["submission"]
    ratio = submission["throughput"] / baseline["throughput"] if baseline["throughput"] else 0.0
    print(f"\n== {name}: {clients} clients, {duration:.0f} s per phase in {rounds} rounds")
    for phase in ("baseline", "submission"):
        result, stored = results[phase], counts[phase]
        print(
            f"  {phase:<10} {result['throughput']:8.1f} req/s  accepted {stored['accepted']:6d}"
            f"  rows {stored['rows']:6d}  stored once {stored['accepted_stored_once']:6d}"
            f"  duplicated {stored['duplicated']}  errors {len(result['errors'])}"
            + (f" (first: {result['errors'][0]})" if result["errors"] else "")
        )
    exact = all(
        counts[p]["accepted_stored_once"] == counts[p]["accepted"] == counts[p]["rows"]
        and counts[p]["duplicated"] == 0
        for p in counts
    )
    no_errors = not baseline["errors"] and not submission["errors"]
    passed = ratio >= TARGET_RATIO and no_errors and exact
    print(
        f"  ratio submission/baseline {ratio:.2f} (target >= {TARGET_RATIO}) · errors "
        f"{'none' if no_errors else 'SOME'} · stored exactly once {'yes' if exact else 'NO'}"
        f" -> {'PASS' if passed else 'FAIL'}"
    )
    if passed:
        shutil.rmtree(data_dir, ignore_errors=True)
    else:
        print(f"  kept for a look: {data_dir} (the server's log is server.log)")
    return passed


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "_seed":
        print(json.dumps(seed()))
        return 0
    if len(sys.argv) > 2 and sys.argv[1] == "_count":
        print(json.dumps(count(sys.argv[2])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds per phase")
    parser.add_argument("--clients", type=int, default=16, help="concurrent HTTP clients")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default=None)
    options = parser.parse_args()
    backends = [options.only] if options.only else ["sqlite", "postgresql"]
    # The pages link the front-end files that `make run` copies from node_modules.
    subprocess.run(["make", "-s", "assets"], cwd=ROOT, check=True)
    results = [bench_backend(name, options.duration, options.clients) for name in backends]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
