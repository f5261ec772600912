"""`hiring serve`: the real console script, gunicorn workers, real HTTP."""

from __future__ import annotations

import http.cookiejar
import os
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from hiring.models import User
from hiring.serve import spreads_connections
from tests.conftest import TEST_SECRET_KEY
from tests.helpers import PASSWORD, csrf_token
from tests.live_server import HIRING, hiring_serve

pytestmark = pytest.mark.server


@pytest.fixture
def server(app: Flask, tmp_path: Path) -> Iterator[str]:
    """`hiring serve` with two gunicorn workers on the test database."""
    with hiring_serve(app.config["DATABASE_URL"], tmp_path) as live:
        yield live.base


def test_serve_signs_a_user_in_over_real_http(server: str, users: dict[str, User]) -> None:
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with browser.open(f"{server}/auth/login") as response:
        login_page = response.read().decode()
    form = urllib.parse.urlencode(
        {"email": "rita@example.com", "password": PASSWORD, "csrf_token": csrf_token(login_page)}
    ).encode()
    with browser.open(f"{server}/auth/login", data=form) as home:
        assert home.url == f"{server}/"
        assert "Welcome, Rita" in home.read().decode()


def _refused_on(app: Flask, tmp_path: Path, port: int) -> None:
    """`hiring serve --port PORT` exits at once, saying the port is in use."""
    env = {
        **os.environ,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "SECRET_KEY": TEST_SECRET_KEY,
        "HIRING_INSTANCE_PATH": str(tmp_path),
    }
    result = subprocess.run(
        [HIRING, "serve", "--port", str(port)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert f"Error: listening on 127.0.0.1:{port} is in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_explains_a_port_in_use(app: Flask, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        _refused_on(app, tmp_path, taken.getsockname()[1])


def _listening_sockets(port: int, expected: int) -> int:
    """How many sockets listen on this TCP port of 127.0.0.1 (Linux's /proc/net/tcp),
    once `expected` do or after 30 seconds (workers start one after the other)."""
    local = f"0100007F:{port:04X}"
    deadline = time.monotonic() + 30
    while True:
        rows = [row.split() for row in Path("/proc/net/tcp").read_text().splitlines()[1:]]
        found = sum(1 for row in rows if row[1] == local and row[3] == "0A")  # 0A: LISTEN
        if found == expected or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


@pytest.mark.skipif(not spreads_connections(), reason="Linux spreads connections among sockets")
def test_each_worker_listens_on_its_own_socket_and_a_second_server_is_refused(
    app: Flask, tmp_path: Path
) -> None:
    """Linux spreads new connections among the workers' own sockets, so clients that
    connect at the same moment and keep their connections are not all one worker's; a
    second server on the same port is still refused rather than joining them."""
    with hiring_serve(app.config["DATABASE_URL"], tmp_path, workers=3) as live:
        port = int(live.base.rsplit(":", 1)[1])
        assert _listening_sockets(port, 3) == 3
        _refused_on(app, tmp_path, port)
        assert _listening_sockets(port, 3) == 3
