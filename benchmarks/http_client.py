"""A small HTTP client for benchmarks against a running `hiring serve`: a signed-in browser
session (cookies and the CSRF token of the sign-in form) and timed requests."""

from __future__ import annotations

import http.cookiejar
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, timeout: float = 60) -> None:
    """Wait until the server answers `url`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (http to localhost)
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer {url} within {timeout:.0f} s")


class Browser:
    """Cookies kept across requests, like a browser."""

    def __init__(self, base: str) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def login(self, email: str, password: str) -> None:
        page = self._opener.open(self.base + "/auth/login").read().decode()
        match = CSRF.search(page)
        assert match, "no CSRF token on the sign-in page"
        form = {"email": email, "password": password, "csrf_token": match.group(1)}
        data = urllib.parse.urlencode(form).encode()
        with self._opener.open(self.base + "/auth/login", data=data) as response:
            if response.url.endswith("/auth/login"):
                raise SystemExit(f"could not sign in as {email}")

    def get(self, path: str, token: str | None = None) -> float:
        """GET `path` (200 expected); returns the seconds it took, body included."""
        request = urllib.request.Request(self.base + path)  # noqa: S310 (http to localhost)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        start = time.perf_counter()
        with self._opener.open(request) as response:
            response.read()
            if response.status != 200:
                raise SystemExit(f"GET {path} answered {response.status}")
        return time.perf_counter() - start
