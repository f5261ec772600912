"""Scorecard submits under load (issue 7): concurrent clients over real HTTP.

    .venv/bin/python benchmarks/submits.py [--postgresql URL] [--busy-wait] [--clients 16]
        [--requests 3000] [--rounds 3] [--workers one per core] [--threads 4]
        [--new-connections]

Serves the app with `hiring serve`'s gunicorn settings (benchmarks/bare_app.py: the same app
and settings, plus one bare route that inserts one row) on a new SQLite database, then on
PostgreSQL when a URL is given (--postgresql, else BENCH_DATABASE_URL: a database that
holds users is refused, any other is emptied, so give a throwaway one).

In --rounds alternating rounds, --clients threads send --requests requests of each kind in
all: scorecard submits (PUT /api/v1/interviews/<id>/scorecard with a bearer token, If-Match
and an Idempotency-Key, all six competencies rated with evidence, a first submit each), and
POSTs to the bare route of the same server. Each client keeps its connection open from one
request to the next, as HTTP/1.1 clients do (browsers, `requests.Session`); with
--new-connections each request opens a connection of its own.

With --busy-wait, SQLite is measured a second time with its writers waiting in SQLite's
busy handler, as they did before `hiring.db.WriteQueue`.

Prints a Markdown report: requests per second, p50 and p99 latency, the CPU time the
server's processes spent per request (steadier than the rest on a shared machine), the
CPU time the client threads spent per request (their share of the same cores), and how
the clients' connections were split among the workers in each round (each worker answers
the connections it accepted for as long as they stay open).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from bare_app import create_table
from http_client import free_port
from sqlmodel import Session

from hiring import accounts, create_app
from hiring.candidates import assign_interview, create_candidate
from hiring.db import make_engine, new_session, upgrade
from hiring.serve import THREADS, default_workers
from hiring.web import engine, rubric_set

ROOT = Path(__file__).resolve().parent.parent
RUBRIC, PANEL, WARMUP = "product-manager", 4, 200
PASSWORD = "benchmark-password-1"
EVIDENCE = (
    "Asked about the checkout rewrite, they said they had shipped it behind a flag in two "
    "weeks, measured a 12% lift and rolled it back once when refunds spiked."
)
Call = Callable[[], int]  # one request: its status (0: no answer)
ACCESS_LINE = re.compile(r"<(?P<pid>\d+)> (?P<port>\d+) ")


@dataclass
class Round:
    """One round of one kind of request."""

    seconds: float
    latencies: list[float]
    statuses: Counter[int]
    server_cpu: float  # seconds
    client_cpu: float  # seconds, the client threads' process
    client_ports: set[int]  # of the connections it used, to find their workers in the log
    split: str = ""  # how many of those connections each worker served, most first


def seed(session: Session, clients: int, count: int) -> list[tuple[str, int]]:
    """`count` interviews awaiting their scorecard, on candidates with panels of PANEL from
    `clients` interviewers: each interview with its interviewer's API token."""
    rubrics = rubric_set()
    people = [
        accounts.create_user(
            session=session, email=f"load{n}@bench.example", role="interviewer", password=PASSWORD
        )
        for n in range(clients)
    ]
    tokens = [accounts.issue_token(session=session, user=person) for person in people]
    interviews = []
    for number in range(0, count, PANEL):
        name, email = f"Candidate {number // PANEL}", f"c{number // PANEL}@example.org"
        candidate = create_candidate(
            session=session, rubrics=rubrics, name=name, email=email, rubric_id=RUBRIC
        )
        for seat in range(PANEL):
            who = (number + seat) % clients
            interview = assign_interview(
                session=session,
                rubrics=rubrics,
                candidate=candidate,
                interviewer_email=people[who].email,
            )
            assert interview.id is not None
            interviews.append((tokens[who], interview.id))
    session.commit()
    return interviews


_CONNECTIONS = threading.local()  # each client thread's connection to each port
_USED_PORTS: set[int] = set()  # the client ports of this round's connections
NEW_CONNECTIONS = False  # --new-connections: one connection per request


def request(port: int, method: str, path: str, body: bytes, headers: dict[str, str]) -> int:
    """One request, the answer read: its status. On the thread's kept-alive connection
    (as HTTP/1.1 clients do), opened again if the server has closed it meanwhile; or, with
    NEW_CONNECTIONS, on a connection of its own."""
    kept: dict[int, http.client.HTTPConnection] = _CONNECTIONS.__dict__.setdefault("open", {})
    reused = port in kept and not NEW_CONNECTIONS
    connection = kept.pop(port) if reused else http.client.HTTPConnection("127.0.0.1", port, 60)
    try:
        connection.request(method, path, body, {"Content-Type": "application/json", **headers})
        _USED_PORTS.add(connection.sock.getsockname()[1])
        response = connection.getresponse()
        response.read()
    except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
        connection.close()
        if not reused:
            raise
        return request(port, method, path, body, headers)  # the server closed an idle one
    if NEW_CONNECTIONS or response.will_close:
        connection.close()
    else:
        kept[port] = connection
    return response.status


def submits(port: int, interviews: list[tuple[str, int]], competencies: list[str]) -> Call:
    """Each call submits the next interview's scorecard, whichever thread calls."""
    queue, lock = iter(enumerate(interviews)), threading.Lock()

    def submit() -> int:
        with lock:
            number, (token, interview_id) = next(queue)
        ratings = {
            c: {"rating": 1 + (number + n) % 4, "evidence": EVIDENCE}
            for n, c in enumerate(competencies)
        }
        body = {
            "ratings": ratings,
            "recommendation": "yes",
            "submit": True,
            "takeaways": "Ships in small steps and measures; probe influence next.",
        }
        headers = {
            "Authorization": f"Bearer {token}",
            "If-Match": "0",
            "Idempotency-Key": f"submit-{interview_id}",
        }
        path = f"/api/v1/interviews/{interview_id}/scorecard"
        return request(port, "PUT", path, json.dumps(body).encode(), headers)

    return submit


def cpu_seconds(master: int) -> float:
    """CPU time used so far by the gunicorn master and its workers."""
    total = 0
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue  # not a process, or one that just ended
        if entry.name.isdigit() and master in (int(entry.name), int(fields[1])):
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def measure(calls: list[Call], requests: int, master: int) -> Round:
    """The calls in threads, all at once, each in a loop, until `requests` were made."""
    left, lock, latencies, statuses = [requests], threading.Lock(), [], Counter[int]()

    def run(call: Call) -> None:
        while True:
            with lock:
                if left[0] == 0:
                    return
                left[0] -= 1
            start = time.perf_counter()
            try:
                status = call()
            except (http.client.HTTPException, OSError):
                status = 0
            with lock:
                latencies.append(time.perf_counter() - start)
                statuses[status] += 1

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    _USED_PORTS.clear()
    cpu, client, start = cpu_seconds(master), time.process_time(), time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    server_cpu, client_cpu = cpu_seconds(master) - cpu, time.process_time() - client
    return Round(seconds, latencies, statuses, server_cpu, client_cpu, set(_USED_PORTS))


@contextlib.contextmanager
def server(
    env: dict[str, str], arguments: argparse.Namespace, log: Path
) -> Iterator[tuple[int, int]]:
    """bare_app.py's server, logging (access log included) to `log`: its port, and the
    process id of its gunicorn master."""
    port = free_port()
    command = [
        sys.executable,
        str(ROOT / "benchmarks/bare_app.py"),
        "--port",
        str(port),
        "--workers",
        str(arguments.workers),
        "--threads",
        str(arguments.threads),
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=output, cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start: see {log}")
            with contextlib.suppress(ConnectionError, TimeoutError):
                request(port, "GET", "/api/v1/openapi.json", b"", {})
                break
            time.sleep(0.2)
        yield port, process.pid
    finally:
        process.terminate()
        process.wait(timeout=60)


def prepare(url: str, folder: Path) -> dict[str, str]:
    """The environment of an app on `url`, with a new schema and the bare route's table."""
    bind = make_engine(sa.make_url(url))
    tables = sa.inspect(bind).get_table_names()
    if "users" in tables and "bench_rows" not in tables:
        with bind.connect() as connection:
            if connection.exec_driver_sql("SELECT count(*) FROM users").scalar():
                raise SystemExit(f"{url} holds users: give a throwaway database")
    existing = sa.MetaData()
    existing.reflect(bind)
    existing.drop_all(bind)
    upgrade(bind)
    create_table(bind)
    bind.dispose()
    secret = "benchmark-secret-key-0123456789abcdef"
    return {"HIRING_INSTANCE_PATH": str(folder), "DATABASE_URL": url, "SECRET_KEY": secret}


def run_backend(
    url: str, log: Path, arguments: argparse.Namespace, **extra: str
) -> dict[str, list[Round]]:
    """Seed, serve (`extra` in its environment), warm up, then alternate rounds of submits
    and bare inserts."""
    settings = prepare(url, log.parent)
    os.environ.update(settings)
    per_round = arguments.requests // arguments.rounds
    with create_app().app_context():
        competencies = [c.id for c in rubric_set().rubrics[RUBRIC].competencies]
        with new_session(engine()) as session:
            interviews = seed(session, arguments.clients, per_round * arguments.rounds + WARMUP)
        engine().dispose()
    env = os.environ | settings | extra
    if arguments.profile:
        env["HIRING_PROFILE_DIR"] = str(Path(arguments.profile).resolve())
    rounds: dict[str, list[Round]] = {"submit": [], "bare": []}
    with server(env, arguments, log) as (port, master):
        kinds = {
            "submit": [submits(port, interviews, competencies)] * arguments.clients,
            "bare": [lambda: request(port, "POST", "/bench/insert", b"{}", {})] * arguments.clients,
        }
        for calls in kinds.values():
            measure(calls, WARMUP, master)
        for _ in range(arguments.rounds):
            for kind, calls in kinds.items():
                rounds[kind].append(measure(calls, per_round, master))
    split_by_worker(log, [r for kind in rounds.values() for r in kind])
    return rounds


def split_by_worker(log: Path, rounds: list[Round]) -> None:
    """Fill in each round's `split` from the server's access log, whose lines start with
    the worker's pid and the client's port (bare_app.ACCESS_LOG_FORMAT)."""
    workers = {}
    for line in log.read_text(errors="replace").splitlines():
        found = ACCESS_LINE.match(line)
        if found:
            workers[int(found["port"])] = found["pid"]
    for each in rounds:
        served = Counter(workers[port] for port in each.client_ports if port in workers)
        each.split = "+".join(str(n) for n in sorted(served.values(), reverse=True))


def row(database: str, what: str, rounds: list[Round], bare: list[Round] | None) -> str:
    """The table row of one kind of request."""
    latencies = sorted(seconds for r in rounds for seconds in r.latencies)
    count, seconds = len(latencies), sum(r.seconds for r in rounds)
    p50, p99 = statistics.median(latencies), latencies[min(count - 1, int(count * 0.99))]
    each = ", ".join(f"{len(r.latencies) / r.seconds:.0f}" for r in rounds)
    statuses: Counter[int] = sum((r.statuses for r in rounds), Counter())
    answers = ", ".join(f"{n} x {status or 'no answer'}" for status, n in sorted(statuses.items()))
    cpu = sum(r.server_cpu for r in rounds) / count * 1000
    client_cpu = sum(r.client_cpu for r in rounds) / count * 1000
    versus = ""
    if bare is not None:
        bare_rate = sum(len(r.latencies) for r in bare) / sum(r.seconds for r in bare)
        versus = f", {count / seconds / bare_rate:.2f}x bare"
    split = "-" if NEW_CONNECTIONS else ", ".join(r.split for r in rounds)
    return (
        f"| {database} | {what} | **{count / seconds:.0f}/s** ({each}{versus}) | "
        f"{p50 * 1000:.1f} | **{p99 * 1000:.1f}** | {latencies[-1] * 1000:.0f} | {cpu:.1f} | "
        f"{client_cpu:.1f} | {split} | {answers} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--postgresql",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="a throwaway PostgreSQL database, emptied first",
    )
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=3000, help="of each kind, per database")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--threads", type=int, default=THREADS)
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument(
        "--busy-wait", action="store_true", help="SQLite without the WriteQueue too"
    )
    parser.add_argument(
        "--new-connections", action="store_true", help="a new connection for each request"
    )
    parser.add_argument("--keep", metavar="DIR", help="work in DIR, keeping the server logs")
    parser.add_argument("--profile", metavar="DIR", help="cProfile the workers into DIR (slow)")
    arguments = parser.parse_args()
    global NEW_CONNECTIONS
    NEW_CONNECTIONS = arguments.new_connections
    load_before = os.getloadavg()[0]
    results = {}
    with contextlib.ExitStack() as stack:
        if arguments.keep:
            folder = Path(arguments.keep).resolve()
            folder.mkdir(parents=True, exist_ok=True)
        else:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        if not arguments.no_sqlite:
            url = f"sqlite:///{folder / 'bench.sqlite'}"
            results["SQLite"] = run_backend(url, folder / "server-sqlite.log", arguments)
        if arguments.busy_wait:
            log, before = folder / "server-sqlite-busy.log", {"BENCH_SQLITE_BUSY_WAIT": "1"}
            url = f"sqlite:///{folder / 'bench-busy.sqlite'}"
            results["SQLite, busy wait"] = run_backend(url, log, arguments, **before)
        if arguments.postgresql:
            log = folder / "server-postgresql.log"
            results["PostgreSQL"] = run_backend(arguments.postgresql, log, arguments)
    print(f"Command: `.venv/bin/python {' '.join(sys.argv)}`\n")
    print(
        f"Machine: {platform.node()}, {os.cpu_count()} cores, {platform.platform()}, "
        f"Python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load "
        f"average {load_before:.1f} before the run, {os.getloadavg()[0]:.1f} after.\n"
    )
    connections = (
        "a new connection per request" if NEW_CONNECTIONS else "each keeping its connection"
    )
    print(
        f"Server: gunicorn, {arguments.workers} workers of {arguments.threads} threads "
        f"(`hiring serve`'s settings). Clients: {arguments.clients} threads of one process on "
        f"the same machine, {connections}, {arguments.requests} requests of "
        f"each kind per database in {arguments.rounds} alternating rounds after a warm-up "
        f"of {WARMUP}.\n"
    )
    print(
        "| Database | Request | Per second (each round) | p50 ms | p99 ms | max ms | "
        "Server CPU ms per request | Client CPU ms per request | "
        "Connections per worker (each round) | Answers |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for database, rounds in results.items():
        print(row(database, "scorecard submit", rounds["submit"], rounds["bare"]))
        print(row(database, "bare insert of one row", rounds["bare"], None))


if __name__ == "__main__":
    main()
