"""Rollup and calibration benchmarks (issue 5), on real databases and a real server.

    .venv/bin/python benchmarks/rollups.py [--ratings 1000000] [--candidates 10000]

1. `hiring import scorecards` of a generated history (--ratings rows): rows per second and
   peak memory of the command.
2. `hiring calibrate` over that history: wall time and peak memory of the whole command,
   and of the calibration itself inside it (loading the ratings and computing).
3. One candidate's rollup, in process with the leniency estimates warm, and through the
   JSON API of `hiring serve`.
4. The candidate list page with --candidates candidates, through `hiring serve` (2 workers)
   as a signed-in recruiter: p50 and p95 over a mix of sorts, filters and pages, next to the
   sign-in page of the same server as a baseline.

Prints a Markdown report; every figure comes from this run.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import write_history
from http_client import Browser, free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent
HIRING = str(Path(sys.executable).with_name("hiring"))
PASSWORD = "benchmark-password-1"
LIST_QUERIES = [
    "",
    "?sort=overall",
    "?sort=name&page=7",
    "?flags=any",
    "?status=active&sort=overall_low",
    "?sort=flags&page=120",
    "?rubric=product-manager&page=300",
]


def timed(
    args: list[str], env: dict[str, str], stdin: str | None = None
) -> tuple[float, float, str]:
    """Run a command: (seconds, peak resident memory in MiB, stdout)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(
            args, env=env, stdout=out, stderr=subprocess.PIPE, stdin=subprocess.PIPE, cwd=ROOT
        )
        if stdin is not None:
            assert process.stdin is not None
            process.stdin.write(stdin.encode())
        if process.stdin:
            process.stdin.close()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        assert process.stderr is not None
        errors = process.stderr.read().decode()
        if status != 0:
            raise SystemExit(f"{' '.join(args)} failed:\n{errors}")
        out.seek(0)
        return elapsed, usage.ru_maxrss / 1024, out.read().decode()


def instance(name: str, workdir: Path) -> dict[str, str]:
    """The environment of a fresh instance folder with its schema."""
    env = os.environ | {"HIRING_INSTANCE_PATH": str(workdir / name)}
    env.pop("DATABASE_URL", None)
    timed([HIRING, "db", "upgrade"], env)
    return env


def load(env: dict[str, str], workdir: Path, ratings: int, name: str) -> tuple[float, float, int]:
    """Import a generated history: (seconds, peak MiB, rows)."""
    csv_file = workdir / f"{name}.csv"
    write_history(csv_file, ROOT / "rubrics/product-manager.yaml", ratings, panel=4, pool=300)
    rows = sum(1 for _ in csv_file.open()) - 1
    seconds, peak, _ = timed([HIRING, "import", "scorecards", str(csv_file)], env)
    return seconds, peak, rows


IN_PROCESS = """
import json, statistics, time
from sqlmodel import select
from hiring import create_app
from hiring.calibration import calibration
from hiring.models import Candidate, utcnow
from hiring.rollup import candidate_rollups
from hiring.web import db_session, rubric_set
app = create_app()
with app.app_context():
    session, rubrics = db_session(), rubric_set()
    rubric = rubrics.rubrics["product-manager"]
    start = time.perf_counter(); calibration(session=session, rubric=rubric)
    calibrate = time.perf_counter() - start
    chosen = list(session.exec(select(Candidate).limit(1)))
    candidate_rollups(session=session, candidates=chosen, rubrics=rubrics, now=utcnow())  # warm
    ids = [c.id for c in session.exec(select(Candidate).order_by(Candidate.email).limit(300))]
    times = []
    for candidate_id in ids:
        start = time.perf_counter()
        candidate = session.get(Candidate, candidate_id)
        candidate_rollups(session=session, candidates=[candidate], rubrics=rubrics, now=utcnow())
        times.append(time.perf_counter() - start)
    times.sort()
    print(json.dumps({"calibrate": calibrate, "rollup_p50": statistics.median(times),
                      "rollup_p95": times[int(len(times) * 0.95)]}))
"""


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95)] * 1000


def serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [HIRING, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/auth/login")
    return process, base


def web_figures(env: dict[str, str], requests: int) -> dict[str, tuple[float, float]]:
    """p50/p95 in ms of the list page, the API rollup and the sign-in page (baseline)."""
    timed([HIRING, "users", "add", "rita@bench.example", "--role", "recruiter",
           "--password-stdin"], env, stdin=PASSWORD + "\n")  # fmt: skip
    _, _, token_output = timed([HIRING, "users", "token", "rita@bench.example"], env)
    token = next(word for word in token_output.split() if word.startswith("hiring_"))
    process, base = serve(env)
    try:
        browser = Browser(base)
        browser.login("rita@bench.example", PASSWORD)
        rng = random.Random(7)
        for query in LIST_QUERIES:  # warm every worker and query plan
            browser.get("/candidates/" + query)
        figures = {
            "list": [
                browser.get("/candidates/" + rng.choice(LIST_QUERIES)) for _ in range(requests)
            ],
            "rollup": [
                browser.get(f"/api/v1/candidates/{rng.randint(1, 5000)}/rollup", token=token)
                for _ in range(requests)
            ],
            "baseline": [browser.get("/auth/login") for _ in range(requests)],
        }
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {name: percentiles(samples) for name, samples in figures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hiring-bench-") as folder:
        workdir = Path(folder)
        big = instance("big", workdir)
        seconds, peak, rows = load(big, workdir, arguments.ratings, "big")
        print(f"- `hiring import scorecards`: {rows:,} rows in {seconds:.1f} s = "
              f"{rows / seconds:,.0f} rows/s, peak memory {peak:.0f} MiB")  # fmt: skip
        runs = [timed([HIRING, "calibrate", "--rubric", "product-manager", "--format", "json"], big)
                for _ in range(3)]  # fmt: skip
        wall = statistics.median(run[0] for run in runs)
        peak = max(run[1] for run in runs)
        startup = statistics.median(timed([HIRING, "db", "current"], big)[0] for _ in range(3))
        _, _, inside = timed([sys.executable, "-c", IN_PROCESS], big)
        print(f"- `hiring calibrate` over {rows:,} ratings: whole command {wall:.2f} s "
              f"(median of 3), peak memory {peak:.0f} MiB; the calibration inside it "
              f"(load + compute) {json_value(inside, 'calibrate'):.2f} s; baseline: "
              f"`hiring db current`, which only starts the app, {startup:.2f} s")  # fmt: skip
        print(f"- one candidate's rollup, in process with warm leniency estimates: p50 "
              f"{json_value(inside, 'rollup_p50') * 1000:.1f} ms, p95 "
              f"{json_value(inside, 'rollup_p95') * 1000:.1f} ms")  # fmt: skip
        listing = instance("list", workdir)
        load(listing, workdir, arguments.candidates * 4 * 6, "list")
        figures = web_figures(listing, arguments.requests)
        for name, label in (
            ("list", f"candidate list page, {arguments.candidates:,} candidates"),
            ("rollup", "GET /api/v1/candidates/<id>/rollup"),
            ("baseline", "baseline: the sign-in page of the same server"),
        ):
            p50, p95 = figures[name]
            print(f"- {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    print(
        f"\nMachine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )


def json_value(output: str, key: str) -> float:
    import json

    return float(json.loads(output.strip().splitlines()[-1])[key])


if __name__ == "__main__":
    main()
