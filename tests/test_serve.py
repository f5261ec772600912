"""`hiring serve`: the real console script, gunicorn workers, real HTTP."""

from __future__ import annotations

import http.cookiejar
import os
import socket
import subprocess
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from hiring.models import User
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


def test_serve_explains_a_port_in_use(app: Flask, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
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
