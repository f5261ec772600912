"""The app as `hiring serve` runs it, plus one bare route for benchmarks/submits.py:
`POST /bench/insert` inserts one row into a table of its own, so that a scorecard submit
can be compared with the least a write through the same server can cost.

    .venv/bin/python benchmarks/bare_app.py --port 8000 [--workers N] [--threads 4]

serves it with `hiring serve`'s gunicorn settings (`hiring.serve`), its access log lines
starting with the worker's pid and the client's port. Run `hiring db upgrade`
and `create_table` first. With HIRING_PROFILE_DIR set, each worker profiles the requests it
answers (cProfile) and writes `worker-PID.prof` there every 200 requests. With
BENCH_SQLITE_BUSY_WAIT=1, SQLite writers wait in SQLite's busy handler, as before
`hiring.db.WriteQueue`, for comparison.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import threading
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, request

import hiring.db
from hiring import create_app as create_hiring_app
from hiring.auth import csrf
from hiring.serve import THREADS, GunicornServer, default_workers, options

# gunicorn's own format after the worker's pid and the client's port, by which
# benchmarks/submits.py tells which worker served each connection.
ACCESS_LOG_FORMAT = (
    '%(p)s %({remote_port}e)s %(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'
)
METADATA = sa.MetaData()
ROWS = sa.Table(
    "bench_rows",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("note", sa.Text, nullable=False),
)


def create_table(engine: sa.Engine) -> None:
    """The bare route's table (before the workers start: they would race to create it)."""
    METADATA.create_all(engine)


def create_app() -> Flask:
    """hiring's app, plus the bare route."""
    if os.environ.get("BENCH_SQLITE_BUSY_WAIT"):
        hiring.db._queue_path = lambda url: None  # type: ignore[assignment]
    app = create_hiring_app()
    engine = app.extensions["hiring.engine"]

    @app.post("/bench/insert")
    @csrf.exempt
    def insert() -> dict[str, Any]:
        with engine.begin() as connection:  # BEGIN IMMEDIATE on SQLite, like the app's writes
            connection.execute(ROWS.insert().values(note=request.get_data(as_text=True)))
        return {"ok": True}

    folder = os.environ.get("HIRING_PROFILE_DIR")
    if folder:
        profile(app, Path(folder))
    return app


def profile(app: Flask, folder: Path) -> None:
    """Profile every request this worker answers (threads included, one at a time)."""
    profiler, lock, answered = cProfile.Profile(), threading.Lock(), [0]
    inner = app.wsgi_app

    def profiled(environ: Any, start_response: Any) -> Any:
        with lock:  # cProfile profiles one thread at a time
            result = profiler.runcall(lambda: list(inner(environ, start_response)))
            answered[0] += 1
            if answered[0] % 200 == 0:
                profiler.dump_stats(folder / f"worker-{os.getpid()}.prof")
        return result

    app.wsgi_app = profiled  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--threads", type=int, default=THREADS)
    arguments = parser.parse_args()
    settings = options(
        host=arguments.host,
        port=arguments.port,
        workers=arguments.workers,
        threads=arguments.threads,
    )
    settings["access_log_format"] = ACCESS_LOG_FORMAT
    GunicornServer(settings, create_app).run()


if __name__ == "__main__":
    main()
