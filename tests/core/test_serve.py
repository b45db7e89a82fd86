"""`civitas serve`: gunicorn answers HTTP and serves the static files."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

# Any of these proves WhiteNoise serves collected files; the first found is fetched.
STATIC_CANDIDATES = ("civitas/civitas.css", "vendor/htmx/htmx.min.js", "ninja/swagger-ui.css")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own server)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until_listening(
    port: int, server: subprocess.Popen[bytes], log: Path, seconds: float
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"civitas serve exited with {server.returncode}:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"civitas serve did not listen on port {port} within {seconds} s")


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, str]:
    """Return an environment with production settings, a fresh SQLite data dir, plain HTTP."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="civitas.settings",
        CIVITAS_DATA_DIR=str(tmp_path),
        CIVITAS_HTTPS="false",
        DEBUG="false",
        SECRET_KEY="serve-test-" + "k3y-" * 15,
    )
    return env


def test_serve_answers_http_and_serves_static_files(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    civitas = [sys.executable, "-m", "civitas"]
    subprocess.run(  # noqa: S603 (our own command)
        [*civitas, "migrate", "--verbosity", "0"], env=production_env, check=True, timeout=120
    )
    static_path = next(path for path in STATIC_CANDIDATES if finders.find(path))
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen(  # noqa: S603 (our own command)
            [*civitas, "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
            env=production_env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_listening(port, server, log, seconds=60)

        status, body = fetch(f"http://127.0.0.1:{port}/static/{static_path}")
        assert status == 200
        assert body
        # Production settings: a page whose static files are not collected fails with 500.
        status, body = fetch(f"http://127.0.0.1:{port}/accounts/login/")
        assert status < 500, body.decode(errors="replace")[:2000]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    text = log.read_text()
    assert f"Civitas is serving at http://127.0.0.1:{port}/" in text
    assert f"GET /static/{static_path}" in text
