"""`hiring serve`: the real console script, gunicorn workers, real HTTP."""

from __future__ import annotations

import contextlib
import http.client
import http.cookiejar
import os
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from flask import Flask

from hiring.models import User
from tests.conftest import TEST_SECRET_KEY
from tests.helpers import PASSWORD, csrf_token
from tests.live_server import HIRING, LiveServer, hiring_serve

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


def test_connections_made_at_once_are_shared_evenly_by_the_workers(
    app: Flask, tmp_path: Path
) -> None:
    """16 clients connecting at the same moment to 2 workers of 4 threads, each client then
    keeping its connection: each worker holds close to half of them. The larger share of
    each of 10 rounds summed to 82-86 here, and to 110-131 with gunicorn's own threaded
    worker, where whichever woke first often took 12 to 16."""
    largest = []
    with hiring_serve(app.config["DATABASE_URL"], tmp_path) as server:
        for _ in range(10):
            with _clients(server, 16) as clients:
                assert _all_at_once(clients, requests=10) == {200: 160}
                held = _connections_per_worker(server, clients)
            assert sum(held.values()) == 16
            largest.append(max(held.values()))
    assert sum(largest) <= 100, largest


def test_a_new_connection_is_answered_while_every_thread_is_busy(
    app: Flask, tmp_path: Path
) -> None:
    """A worker takes a new connection at once only while a thread is free. One arriving
    while every thread stays at work (4 clients each sending 1,000 requests at once, one
    after the other on its connection, for 2 threads) waits milliseconds for its turn, not
    until those clients stop (3 s here)."""
    with hiring_serve(app.config["DATABASE_URL"], tmp_path, workers=1, threads=2) as server:
        address = server.base.removeprefix("http://").split(":")
        stop, answered, waited = threading.Event(), list[int](), [0.0]
        pipelined = [socket.create_connection((address[0], int(address[1]))) for _ in range(4)]

        def busy_client(connection: socket.socket) -> None:
            connection.sendall(b"GET /auth/login HTTP/1.1\r\nHost: hiring\r\n\r\n" * 1000)
            connection.settimeout(0.2)
            while not stop.is_set():
                with contextlib.suppress(OSError):  # timed out, or reset once stopped
                    answered.append(connection.recv(1 << 16).count(b"HTTP/1.1 200 "))

        def newcomer() -> None:
            with _clients(server, 1) as (connection,):
                began = time.monotonic()
                assert _get(connection, "/auth/login") == 200
                waited[0] = time.monotonic() - began

        busy = [threading.Thread(target=busy_client, args=(c,)) for c in pipelined]
        for thread in busy:
            thread.start()
        time.sleep(0.5)
        late = threading.Thread(target=newcomer)
        late.start()
        time.sleep(3)
        stop.set()
        for connection in pipelined:
            connection.shutdown(socket.SHUT_RDWR)  # what is still to answer is dropped
        for thread in [*busy, late]:
            thread.join()
        for connection in pipelined:
            connection.close()
        assert sum(answered) > 100  # the threads were kept at work
        assert 0 < waited[0] < 1, waited


def test_clients_slow_to_close_their_end_delay_no_one(app: Flask, tmp_path: Path) -> None:
    """A server that ends a connection (`Connection: close`) waits up to 2 s for the client
    to end its side too, so that its last answer is not cut off (RFC 9112, 9.6). That wait
    must not hold up anyone else: with gunicorn's own worker, 3 clients that kept their
    end open stopped the worker answering others for several seconds."""
    with hiring_serve(app.config["DATABASE_URL"], tmp_path, workers=1) as server:
        host, port = server.base.removeprefix("http://").split(":")
        slow = [socket.create_connection((host, int(port))) for _ in range(3)]
        for connection in slow:
            connection.sendall(
                b"GET /auth/login HTTP/1.1\r\nHost: hiring\r\nConnection: close\r\n\r\n"
            )
        time.sleep(0.3)  # answered: the server now waits for their end
        with _clients(server, 1) as (other,):
            began = time.monotonic()
            assert _get(other, "/auth/login") == 200
            waited = time.monotonic() - began
        for connection in slow:  # each got its whole answer, then the server's end
            connection.settimeout(5)
            answer = b"".join(iter(lambda c=connection: c.recv(1 << 16), b""))
            head, _, body = answer.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200 ")
            length = next(
                line.split(b":")[1]
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            assert len(body) == int(length)
            connection.close()
    assert waited < 0.5, waited


@contextlib.contextmanager
def _clients(server: LiveServer, count: int) -> Iterator[list[http.client.HTTPConnection]]:
    """`count` HTTP/1.1 connections to the server, each kept open from one request to the
    next, closed afterwards."""
    host, port = server.base.removeprefix("http://").split(":")
    connections = [http.client.HTTPConnection(host, int(port), timeout=30) for _ in range(count)]
    try:
        yield connections
    finally:
        for connection in connections:
            connection.close()


def _get(connection: http.client.HTTPConnection, path: str) -> int:
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response.status


def _all_at_once(clients: list[http.client.HTTPConnection], requests: int) -> Counter[int]:
    """Each client GETs the login page `requests` times, all starting at the same moment:
    how many answers had each status."""
    start, statuses = threading.Barrier(len(clients)), list[int]()

    def load(connection: http.client.HTTPConnection) -> None:
        start.wait()
        for _ in range(requests):
            statuses.append(_get(connection, "/auth/login"))  # atomic, unlike += on a Counter

    threads = [threading.Thread(target=load, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(statuses)


def _connections_per_worker(
    server: LiveServer, clients: list[http.client.HTTPConnection]
) -> Counter[int]:
    """How many of the clients' open connections each worker of the server holds."""
    client_ports = {c.sock.getsockname()[1] for c in clients if c.sock is not None}
    held: Counter[int] = Counter()
    for worker in psutil.Process(server.process.pid).children():
        for connection in worker.net_connections(kind="tcp"):
            if connection.raddr and connection.raddr.port in client_ports:
                held[worker.pid] += 1
    return held
