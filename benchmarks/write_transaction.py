"""How long a scorecard submit holds SQLite's write lock, and its CPU, in process (issue 7).

    .venv/bin/python benchmarks/write_transaction.py [--submits 1000]

Builds the app as benchmarks/bare_app.py does on a new SQLite database, seeds interviews as
benchmarks/submits.py does, and sends first submits (the same request as there) through
the Flask test client in one thread: no HTTP server, no other writer. The time each one
holds the write lock is taken from `hiring.db.WriteQueue` (from having the lock to
giving it back, so `BEGIN IMMEDIATE` to the end of the commit), with the CPU time per
submit and per bare insert of one row. The lock is the part of a submit that SQLite runs
one at a time, whatever the number of workers and cores.

Prints a Markdown report: the write lock's hold time (mean, p50, p99, max) and the CPU
time per submit and per bare insert.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import bare_app
from sqlalchemy.engine import make_url
from submits import EVIDENCE, RUBRIC, seed

from hiring.db import WriteQueue, make_engine, upgrade
from hiring.web import db_session, rubric_set

WARMUP = 100


class HeldTimes:
    """The time each write transaction holds the write lock, from `WriteQueue`."""

    def __init__(self) -> None:
        self.seconds: list[float] = []
        self._since: dict[int, float] = {}
        acquire, release = WriteQueue.acquire, WriteQueue.release

        def timed_acquire(queue: WriteQueue) -> None:
            acquire(queue)
            self._since[threading.get_ident()] = time.perf_counter()

        def timed_release(queue: WriteQueue) -> bool:
            start = self._since.pop(threading.get_ident())
            self.seconds.append(time.perf_counter() - start)
            return release(queue)

        WriteQueue.acquire, WriteQueue.release = timed_acquire, timed_release  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submits", type=int, default=1000)
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hiring-bench-"))
    url = f"sqlite:///{folder / 'hiring.sqlite'}"
    engine = make_engine(make_url(url))
    upgrade(engine)
    bare_app.create_table(engine)
    engine.dispose()
    os.environ.update({"DATABASE_URL": url, "SECRET_KEY": "benchmark-" + "x" * 40})
    app = bare_app.create_app()
    with app.app_context():
        interviews = iter(seed(db_session(), 16, arguments.submits + WARMUP))
        competencies = [c.id for c in rubric_set().rubrics[RUBRIC].competencies]
    client = app.test_client()

    def submit(number: int) -> None:
        token, interview_id = next(interviews)
        ratings = {
            c: {"rating": 1 + (number + n) % 4, "evidence": EVIDENCE}
            for n, c in enumerate(competencies)
        }
        body = {"ratings": ratings, "recommendation": "yes", "submit": True}
        headers = {
            "Authorization": f"Bearer {token}",
            "If-Match": "0",
            "Idempotency-Key": f"submit-{interview_id}",
        }
        path = f"/api/v1/interviews/{interview_id}/scorecard"
        answer = client.put(
            path, data=json.dumps(body), headers=headers, content_type="application/json"
        )
        assert answer.status_code == 200, answer.get_data(as_text=True)

    def insert(_number: int) -> None:
        assert client.post("/bench/insert", data="x" * 300).status_code == 200

    held = HeldTimes()
    cpu = {}
    for name, call, count in [("insert", insert, 1000), ("submit", submit, arguments.submits)]:
        for number in range(WARMUP):
            call(number)
        held.seconds.clear()
        start = time.process_time()
        for number in range(count):
            call(number)
        cpu[name] = (time.process_time() - start) / count * 1000
    times = sorted(held.seconds)
    ms = [t * 1000 for t in times]
    print(
        f"Machine: {platform.node()}, {os.cpu_count()} cores, {platform.platform()}, "
        f"Python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.\n\n"
        f"{arguments.submits} first submits through the Flask test client, one thread, SQLite.\n\n"
        "| Write lock held per submit: mean | p50 | p99 | max | CPU per submit | "
        "CPU per bare insert |\n|---|---|---|---|---|---|\n"
        f"| {statistics.mean(ms):.2f} ms | {ms[len(ms) // 2]:.2f} ms | "
        f"{ms[int(len(ms) * 0.99)]:.2f} ms | {ms[-1]:.2f} ms | {cpu['submit']:.2f} ms | "
        f"{cpu['insert']:.2f} ms |"
    )


if __name__ == "__main__":
    main()
