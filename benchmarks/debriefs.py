"""Debrief PDF benchmarks, on a real SQLite database, real commands and a real server.

    .venv/bin/python benchmarks/debriefs.py [--rounds 15] [--candidates 100] [--requests 200]

1. One two-page debrief (6 interviewers x 6 competencies, the first generated one with two
   pages and a ticked anti-pattern), database to PDF bytes in process, next to a bare
   WeasyPrint render of the same HTML, in alternating rounds.
2. --candidates debriefs one after another, with `export_debriefs` on every core, and with
   the `hiring debrief --all` command.
3. Saving a scorecard draft through the JSON API of `hiring serve` (2 workers), alone and
   while 2 clients keep downloading debrief PDFs: p50 and p95.

Panels are written through the app's services with seeded ratings and the demo's evidence
phrases. Prints a Markdown report; every figure comes from this run.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pypdf
import weasyprint
from http_client import Browser
from rollups import HIRING, percentiles, serve, timed
from sqlmodel import Session

from hiring import accounts, create_app
from hiring.candidates import assign_interview, create_candidate
from hiring.db import new_session, read_only, upgrade
from hiring.debrief import Debrief
from hiring.debrief_cli import export_debriefs, write_atomically
from hiring.debrief_documents import debriefs_of, document_html
from hiring.demo_evidence import COMPANIES, HEADLINES, STORIES, VERDICTS
from hiring.models import Candidate, Recommendation, User
from hiring.pdf import BASE_URL, PDF_VARIANT, render_pdf
from hiring.rubrics import Rubric
from hiring.scoring import AntiPatternInput, RatingInput, ScorecardInput, save_scorecard
from hiring.web import db_session, engine, rubric_set

RUBRIC = "product-manager"
PANEL, WARMUPS, DOWNLOADERS = 6, 2, 2
PAUSE = 0.05  # seconds between two draft saves, spaced as a person typing would space them
PASSWORD = "benchmark-password-1"
NAMES = ("Ada Okafor", "Bruno Lindqvist", "Chiara Romano", "Dev Malhotra", "Elif Kaya",
         "Farah Haddad", "Gus Whitaker", "Hana Sato", "Ivo Petrov", "Jun Park", "Kemi Adeyemi",
         "Lars Berg")  # fmt: skip
# How much each interviewer writes, how often they tick an anti-pattern and how much they
# agree: tuned so that most debriefs are two A4 pages, as one usually is.
EVIDENCE_SENTENCES, TAKEAWAY_SENTENCES, TICKED, NOISE, LENIENCY = 4, 2, 0.1, 0.35, 0.3


def sentence(text: str) -> str:
    return f"{text[0].upper()}{text[1:]}."


def observed(rng: random.Random, competency: str, rating: int) -> list[str]:
    """The demo's verdict on this rating, as sentences with plausible numbers."""
    numbers = {"days": rng.randint(3, 12), "pct": rng.randint(8, 35), "n": rng.randint(8, 60) * 10}
    return [sentence(o) for o in VERDICTS[competency][rating - 1].format(**numbers).split("; ")]


def evidence(rng: random.Random, competency: str, rating: int, story: str) -> str:
    """What the candidate said about `story`, and what the interviewer made of it."""
    said = [f"Asked about {story}.", *observed(rng, competency, rating)]
    return " ".join(said[:EVIDENCE_SENTENCES])


def card(rng: random.Random, rubric: Rubric, level: float, lean: float) -> ScorecardInput:
    """A submitted scorecard: every competency rated with evidence, sometimes an anti-pattern
    ticked (quoting one of its cues), and takeaways that follow the ratings."""
    scale = [point.value for point in rubric.scale]
    stories = [story.format(company=rng.choice(COMPANIES)) for story in STORIES[RUBRIC]]
    ratings = {
        c.id: min(scale[-1], max(scale[0], round(level + lean + rng.gauss(0, NOISE))))
        for c in rubric.competencies
    }
    ticked = []
    if rng.random() < TICKED:
        pattern = rng.choice(rubric.anti_patterns)
        said = f'Asked about {rng.choice(stories)}, they said "{rng.choice(pattern.cues)}".'
        ticked.append(AntiPatternInput(id=pattern.id, evidence=f"{said} It came up twice."))
    mean = sum(ratings.values()) / len(ratings)
    recommendation = list(Recommendation)[min(3, max(0, round(mean) - scale[0]))]
    names = {c.id: c.name for c in rubric.competencies}
    best, worst = max(ratings, key=ratings.__getitem__), min(ratings, key=ratings.__getitem__)
    notes = [f"Strongest on {names[best]}, weakest on {names[worst]}."]
    if ratings[best] == ratings[worst]:
        notes = [f"Even: {rubric.scale[ratings[best] - scale[0]].label} on every competency."]
    notes += observed(rng, best, ratings[best])
    return ScorecardInput(
        ratings={
            c: RatingInput(rating=r, evidence=evidence(rng, c, r, rng.choice(stories)))
            for c, r in ratings.items()
        },
        anti_patterns=ticked,
        recommendation=recommendation,
        takeaways=" ".join([rng.choice(HEADLINES[recommendation]), *notes[:TAKEAWAY_SENTENCES]]),
        submit=True,
    )


def seed(session: Session, count: int) -> tuple[list[int], list[User]]:
    """A pool of interviewers and `count` candidates, each with a panel of submitted
    scorecards, through the app's services: the candidates' ids and the pool."""
    rubrics, rng = rubric_set(), random.Random(2026)
    rubric = rubrics.rubrics[RUBRIC]
    pool = []
    for name in NAMES:
        email = f"{name.split()[0].lower()}@bench.example"
        pool.append(accounts.create_user(session=session, email=email, role="interviewer",
                                         password=PASSWORD, name=name))  # fmt: skip
    leniency = {user.email: rng.gauss(0, LENIENCY) for user in pool}
    ids = []
    for number in range(count):
        name, email = f"Candidate {number:03}", f"candidate{number:03}@example.org"
        candidate = create_candidate(session=session, rubrics=rubrics, name=name, email=email,
                                     rubric_id=RUBRIC)  # fmt: skip
        level = rng.gauss(2.5, 0.7)
        for who in rng.sample(pool, PANEL):
            interview = assign_interview(session=session, rubrics=rubrics, candidate=candidate,
                                         interviewer_email=who.email)  # fmt: skip
            save_scorecard(session=session, interview=interview, author=who, current_rubric=rubric,
                           data=card(rng, rubric, level, leniency[who.email]))  # fmt: skip
        session.commit()
        assert candidate.id is not None
        ids.append(candidate.id)
    return ids, pool


def pipeline(candidate_id: int) -> tuple[Debrief, str, bytes]:
    """The app's path from the database to PDF bytes, in this process: the debrief, its
    HTML and its PDF."""
    with new_session(read_only(engine())) as session:
        candidate = session.get(Candidate, candidate_id)
        assert candidate is not None
        [debrief] = debriefs_of(session=session, candidates=[candidate])
    html = document_html(debrief, "A4")
    return debrief, html, render_pdf(html)


def bare(html: str) -> bytes:
    pdf: bytes = weasyprint.HTML(string=html, base_url=BASE_URL).write_pdf(pdf_variant=PDF_VARIANT)
    return pdf


def interleaved(rounds: int, a: Callable[[], Any], b: Callable[[], Any]) -> tuple[float, float]:
    """Medians in seconds of `a` and `b`, timed round by round in alternating order, each
    after collecting the garbage of the one before (a render leaves megabytes of it, which
    would otherwise be collected, and timed, in whichever runs next)."""
    times: dict[Callable[[], Any], list[float]] = {a: [], b: []}
    for number in range(WARMUPS + rounds):
        for run in (a, b) if number % 2 else (b, a):
            gc.collect()
            start = time.perf_counter()
            run()
            if number >= WARMUPS:
                times[run].append(time.perf_counter() - start)
    return statistics.median(times[a]), statistics.median(times[b])


def pages(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def two_pager(ids: list[int]) -> tuple[int, str, bytes]:
    """The first candidate whose debrief is two pages with a ticked anti-pattern among its
    flags (the panels are random, the template may change): their id, HTML and PDF."""
    for candidate_id in ids:
        debrief, html, pdf = pipeline(candidate_id)
        rules = {quote["rule"] for flag in debrief.rollup["flags"] for quote in flag["evidence"]}
        if pages(pdf) == 2 and "ticked" in rules:
            return candidate_id, html, pdf
    return ids[0], *pipeline(ids[0])[1:]


def single(ids: list[int], rounds: int) -> None:
    """Target 1: the app's pipeline next to a bare render of the same HTML."""
    candidate_id, html, pdf = two_pager(ids)
    a, b = interleaved(rounds, lambda: pipeline(candidate_id), lambda: bare(html))
    print(f"- one debrief, {PANEL} interviewers x 6 competencies (candidate {candidate_id}, "
          f"{pages(pdf)} pages, {len(pdf) // 1024} KiB), database to PDF bytes in process: "
          f"median {a * 1000:.0f} ms; a bare `weasyprint.HTML(...).write_pdf()` of the same "
          f"HTML: median {b * 1000:.0f} ms ({rounds} rounds in alternating order after "
          f"{WARMUPS} warm-ups): **{a / b:.2f}x bare** (target: at most 1.3x)")  # fmt: skip


def sequential(ids: list[int], folder: Path) -> float:
    """Seconds to write each debrief in turn: build, HTML, render, file."""
    start = time.perf_counter()
    for candidate_id in ids:
        debrief, _, pdf = pipeline(candidate_id)
        write_atomically(folder / debrief.filename, pdf)
    return time.perf_counter() - start


def parallel(ids: list[int], folder: Path, jobs: int) -> float:
    """Seconds of `export_debriefs` with `jobs` render processes, their start included."""
    session = db_session()
    chosen = [candidate for i in ids if (candidate := session.get(Candidate, i))]
    start = time.perf_counter()
    failures = export_debriefs(candidates=chosen, folder=folder, page_size="A4", jobs=jobs)
    elapsed = time.perf_counter() - start
    session.close()  # outside a request the app's session holds SQLite's write lock
    if failures:
        raise SystemExit(f"export_debriefs failed for {len(failures)}: {failures[0]}")
    return elapsed


def bulk(ids: list[int], workdir: Path) -> None:
    """Target 2: one after another, `export_debriefs` on every core, the command."""
    folders = [workdir / name for name in ("one", "pool", "cli", "single")]
    for made in (*folders[:2], folders[3]):
        made.mkdir()
    one, many = sequential(ids, folders[0]), parallel(ids, folders[1], os.cpu_count() or 1)
    single_process = parallel(ids, folders[3], 1)
    cli, _, _ = timed([HIRING, "debrief", "--all", "-o", str(folders[2])], dict(os.environ))
    startup, _, _ = timed([HIRING, "db", "current"], dict(os.environ))
    counted = Counter(pages(path.read_bytes()) for path in folders[1].glob("*.pdf"))
    spread = ", ".join(f"{n} with {size} pages" for size, n in sorted(counted.items()))
    print(f"- {len(ids)} debriefs one after another in one process (build, HTML, render, "
          f"write): {one:.1f} s; `export_debriefs` with {os.cpu_count()} render processes: "
          f"{many:.1f} s, **{one / many:.2f}x faster** (target: at least 1.7x); the PDFs: "
          f"{spread}")  # fmt: skip
    print(f"- the same `export_debriefs` with 1 render process: {single_process:.1f} s, so "
          f"{os.cpu_count()} processes are {single_process / many:.2f}x faster than 1")  # fmt: skip
    print(f"- `hiring debrief --all -o DIR`, the whole command: {cli:.1f} s; baseline: "
          f"`hiring db current`, which only starts the app, {startup:.1f} s")  # fmt: skip


def accounts_for_server(session: Session, interviewer: User) -> tuple[int, dict[str, str]]:
    """An interview awaiting `interviewer`'s scorecard; API tokens for them and a recruiter."""
    rubrics = rubric_set()
    drafted = create_candidate(session=session, rubrics=rubrics, name="Drafted Person",
                               email="drafted@example.org", rubric_id=RUBRIC)  # fmt: skip
    interview = assign_interview(session=session, rubrics=rubrics, candidate=drafted,
                                 interviewer_email=interviewer.email)  # fmt: skip
    recruiter = accounts.create_user(session=session, email="rita@bench.example",
                                     role="recruiter", password=PASSWORD)  # fmt: skip
    tokens = {
        "interviewer": accounts.issue_token(session=session, user=interviewer),
        "recruiter": accounts.issue_token(session=session, user=recruiter),
    }
    session.commit()
    assert interview.id is not None
    return interview.id, tokens


def drafts(base: str, token: str, interview_id: int, requests: int, version: int
           ) -> tuple[list[float], int]:  # fmt: skip
    """Seconds of `requests` draft saves (PUT with If-Match, three competencies rated so
    far) after 10 warm-ups, PAUSE apart so that they span many renders; the scorecard's
    version reached."""
    rng, samples = random.Random(version), []
    competencies = [c.id for c in rubric_set().rubrics[RUBRIC].competencies]
    for number in range(10 + requests):
        ratings = {}
        for competency in rng.sample(competencies, 3):
            rating = rng.randint(1, 4)
            said = evidence(rng, competency, rating, "their last launch")
            ratings[competency] = {"rating": rating, "evidence": said}
        body = {"ratings": ratings, "takeaways": "Writing up.", "submit": False}
        request = urllib.request.Request(  # noqa: S310 (http to localhost)
            f"{base}/api/v1/interviews/{interview_id}/scorecard", json.dumps(body).encode(),
            {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
             "If-Match": str(version)}, method="PUT")  # fmt: skip
        start = time.perf_counter()
        with urllib.request.urlopen(request) as response:  # noqa: S310
            answer = response.read()
        if number >= 10:
            samples.append(time.perf_counter() - start)
        version = int(json.loads(answer)["version"])
        time.sleep(PAUSE)
    return samples, version


def contention(ids: list[int], interview_id: int, tokens: dict[str, str], requests: int) -> None:
    """Target 3: draft saves alone, then while DOWNLOADERS clients fetch debrief PDFs."""
    process, base = serve(dict(os.environ))
    stop, done, failed = threading.Event(), [], []

    def download(seed: int) -> None:
        client, rng = Browser(base), random.Random(seed)
        while not stop.is_set():
            try:
                client.get(f"/api/v1/candidates/{rng.choice(ids)}/debrief.pdf", tokens["recruiter"])
                done.append(time.perf_counter())
            except urllib.error.HTTPError as error:
                failed.append(f"{error.code} {error.read()[:200]!r}")

    threads = [threading.Thread(target=download, args=(n,)) for n in range(DOWNLOADERS)]
    try:
        quiet, version = drafts(base, tokens["interviewer"], interview_id, requests, 0)
        for thread in threads:
            thread.start()
        while len(done) < 2 * DOWNLOADERS:  # every worker's render pool has started
            time.sleep(0.1)
        began = time.perf_counter()
        loaded, _ = drafts(base, tokens["interviewer"], interview_id, requests, version)
        ended = time.perf_counter()
    finally:
        stop.set()
        for thread in threads:
            if thread.is_alive():
                thread.join()
        process.terminate()
        process.wait(timeout=30)
    (q50, q95), (l50, l95) = percentiles(quiet), percentiles(loaded)
    fetched = sum(began <= moment <= ended for moment in done)
    print(
        f"- saving a scorecard draft (PUT /api/v1/interviews/<id>/scorecard, `hiring serve`, "
        f"2 workers), nothing else running: p50 {q50:.1f} ms, p95 {q95:.1f} ms"
    )
    print(f"- the same while {DOWNLOADERS} clients keep downloading debrief PDFs ({fetched} in "
          f"{ended - began:.0f} s, {len(failed)} failed): p50 {l50:.1f} ms, p95 {l95:.1f} ms, "
          f"**{l50 / q50:.1f}x and {l95 / q95:.1f}x** the figures above")  # fmt: skip
    if failed:
        print(f"  first failed download: {failed[0]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--candidates", type=int, default=100)
    parser.add_argument("--requests", type=int, default=200)
    arguments = parser.parse_args()
    print(f"Command: `.venv/bin/python {' '.join(sys.argv)}`\n")
    print(f"Machine: {platform.node()}, {os.cpu_count()} cores, {platform.platform()}, "
          f"Python {platform.python_version()}, SQLite; {datetime.now(UTC):%Y-%m-%d %H:%M} "
          "UTC\n")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="hiring-bench-") as folder:
        os.environ.pop("DATABASE_URL", None)
        os.environ["HIRING_INSTANCE_PATH"] = str(Path(folder) / "instance")
        with create_app().app_context():
            upgrade(engine())
            with new_session(engine()) as session:
                started = time.perf_counter()
                ids, pool = seed(session, arguments.candidates)
                print(f"Data: {len(ids)} candidates on {RUBRIC}, each with {PANEL} submitted "
                      f"scorecards (every competency rated with evidence) from a pool of "
                      f"{len(pool)} interviewers, written through the services in "
                      f"{time.perf_counter() - started:.0f} s.\n")  # fmt: skip
                single(ids, arguments.rounds)
                bulk(ids, Path(folder))
                interview_id, tokens = accounts_for_server(session, pool[0])
            contention(ids, interview_id, tokens, arguments.requests)


if __name__ == "__main__":
    main()
