"""The production server: the app under gunicorn."""

from __future__ import annotations

import multiprocessing
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

THREADS = 4  # per worker: a request waiting on a debrief render leaves the others free


def default_workers() -> int:
    """Gunicorn's rule of thumb: two workers per core, plus one."""
    return 2 * multiprocessing.cpu_count() + 1


class GunicornServer(BaseApplication):
    """Gunicorn, configured in code, running one app per worker process."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        from hiring import create_app

        return create_app()


def serve(*, host: str, port: int, workers: int, threads: int = THREADS) -> None:
    """Serve until interrupted; each worker builds its own app (and database pool) and
    answers `threads` requests at once."""
    GunicornServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            "accesslog": "-",
            "errorlog": "-",
            "proc_name": "hiring",
        }
    ).run()
