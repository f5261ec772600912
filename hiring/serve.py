"""The production server: the app under gunicorn."""

from __future__ import annotations

import gc
import multiprocessing
import selectors
import socket
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from flask import Flask
from gunicorn import util
from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import TConn, ThreadWorker

from hiring.web import rubric_set

THREADS = 4  # per worker: a request waiting on a debrief render leaves the others free


def default_workers() -> int:
    """One worker per core. Each answers THREADS requests at once, so more processes add
    no concurrency, only processes contending for the cores (gunicorn's two per core plus
    one is for workers without threads): on 2 cores, 2 workers served scorecard submits
    with a lower p99 and less CPU per request than 5 (docs/benchmarks.md)."""
    return multiprocessing.cpu_count()


def default_app() -> Flask:
    """The app as `hiring serve` runs it: configured from instance/config.py and the
    environment."""
    from hiring import create_app

    return create_app()


class GunicornServer(BaseApplication):
    """Gunicorn, configured in code, running one app per worker process."""

    def __init__(self, options: dict[str, Any], factory: Callable[[], Flask] = default_app) -> None:
        self.options = options
        self.factory = factory
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        app = self.factory()
        with app.app_context():
            rubric_set()  # read now, not by the worker's first requests, and frozen below
        # What the worker holds once it has built the app lives as long as the worker: out
        # of the garbage collector's sight, its full collections no longer walk those
        # (about 200,000) objects again and again.
        gc.freeze()
        return app


class ClosingThreadWorker(ThreadWorker):
    """Gunicorn's threaded worker, ending connections without holding up its event loop.

    When the server ends a connection, it waits up to LINGER_S seconds for the client to
    end its side too, reading what the client still sends, so that the kernel does not cut
    the last answer off with a reset (RFC 9112, 9.6). Gunicorn 27 waits in the worker's
    event loop, where 3 clients slow to close stopped the worker answering anyone for
    seconds; here the loop watches those connections among the others.
    """

    LINGER_S, LINGER_MAX_BYTES = 2.0, 65536  # as gunicorn's util.close_graceful

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lingering: dict[socket.socket, list[float]] = {}  # deadline, bytes read

    def finish_request(self, conn: Any, fs: Any) -> None:
        conn.close = partial(self._close, conn)  # gunicorn's one graceful close is in here
        super().finish_request(conn, fs)

    def _close(self, conn: TConn, graceful: bool = False) -> None:
        if not graceful:
            TConn.close(conn)
            return
        sock = conn.sock
        try:
            sock.shutdown(socket.SHUT_WR)
            sock.setblocking(False)
            self.poller.register(sock, selectors.EVENT_READ, self._drain)
        except (OSError, ValueError, KeyError):
            util.close(sock)
            return
        self.lingering[sock] = [time.monotonic() + self.LINGER_S, 0]

    def _drain(self, sock: socket.socket) -> None:
        try:
            data = sock.recv(self.LINGER_MAX_BYTES)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        self.lingering[sock][1] += len(data)
        if not data or self.lingering[sock][1] >= self.LINGER_MAX_BYTES:
            self._end(sock)

    def _end(self, sock: socket.socket) -> None:
        del self.lingering[sock]
        self.poller.unregister(sock)
        util.close(sock)

    def wait_for_and_dispatch_events(self, timeout: float) -> None:
        if self.lingering:
            first = min(deadline for deadline, _ in self.lingering.values())
            timeout = min(timeout, max(0.0, first - time.monotonic()))
        super().wait_for_and_dispatch_events(timeout)
        now = time.monotonic()
        for sock in [sock for sock, (deadline, _) in self.lingering.items() if deadline <= now]:
            self._end(sock)


class FairThreadWorker(ClosingThreadWorker):
    """Gunicorn's threaded worker, sharing new connections out evenly among the workers.

    Every worker wakes for a new connection on the shared socket, the first to call accept
    takes it, and a kept-alive connection stays with the worker that took it: 16 clients
    connecting at once could leave 13 with one worker (one core, Python's lock) and 3 with
    the other, whose clients then waited a quarter as long. Here a worker takes a new
    connection at once only while one of its threads is free. When none is, it looks for a
    waiting connection every LOOK_MS milliseconds per connection it already holds (at most
    every LOOK_MAX_MS): the worker holding fewer looks first, and none is left waiting long
    however busy the workers stay. Until then connections wait in the shared socket's
    queue, where any worker can take them, even after one dies.
    """

    LOOK_MS, LOOK_MAX_MS = 1, 20

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.busy = 0  # requests handed to the threads and not finished yet
        self.next_look = 0.0  # when a worker with no free thread next looks (monotonic)

    def has_free_thread(self) -> bool:
        return self.busy < self.cfg.threads

    def set_accept_enabled(self, enabled: bool) -> None:
        super().set_accept_enabled(enabled and self.has_free_thread())

    def enqueue_req(self, conn: Any) -> None:
        super().enqueue_req(conn)
        self.busy += 1
        if not self.has_free_thread() and self._accepting:
            self.set_accept_enabled(False)
            self._look_later()

    def finish_request(self, conn: Any, fs: Any) -> None:
        self.busy -= 1
        super().finish_request(conn, fs)
        if self.alive:
            self.set_accept_enabled(self.nr_conns < self.worker_connections)

    def wait_for_and_dispatch_events(self, timeout: float) -> None:
        if self._may_look():
            timeout = min(timeout, max(0.0, self.next_look - time.monotonic()))
        super().wait_for_and_dispatch_events(timeout)
        if self._may_look() and time.monotonic() >= self.next_look:
            self._look_later()
            for listener in self.sockets:
                self.accept(listener)  # a connection waiting, if any (none: EAGAIN, ignored)

    def _may_look(self) -> bool:
        # `alive` is asked after the wait too: a stop signalled meanwhile takes no more.
        return self.alive and not self._accepting and self.nr_conns < self.worker_connections

    def _look_later(self) -> None:
        wait_ms = min(self.LOOK_MS * max(self.nr_conns, 1), self.LOOK_MAX_MS)
        self.next_look = time.monotonic() + wait_ms / 1000


def options(*, host: str, port: int, workers: int, threads: int = THREADS) -> dict[str, Any]:
    """Gunicorn's settings for `hiring serve`."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": FairThreadWorker,
        "threads": threads,
        "accesslog": "-",
        "errorlog": "-",
        "proc_name": "hiring",
    }


def serve(
    *,
    host: str,
    port: int,
    workers: int,
    threads: int = THREADS,
    factory: Callable[[], Flask] = default_app,
) -> None:
    """Serve until interrupted; each worker builds its own app with `factory` (and so its
    own database pool) and answers `threads` requests at once."""
    settings = options(host=host, port=port, workers=workers, threads=threads)
    GunicornServer(settings, factory).run()
