"""The production server: the app under gunicorn."""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

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


def options(*, host: str, port: int, workers: int, threads: int = THREADS) -> dict[str, Any]:
    """Gunicorn's settings for `hiring serve`."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
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
