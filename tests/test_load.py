"""Scorecard writes under load and through worker crashes, on `hiring serve` over real HTTP.

What the clients were told is compared with the rows in the database afterwards: every
acknowledged write is stored exactly once, a retry with the same Idempotency-Key (after
the answer, or while the first is still running) writes nothing more, two writers
starting from the same version get one 200 and one 409, and a worker killed in the middle
of a submit leaves no partial scorecard behind.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import threading
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session, col, select

from hiring import accounts
from hiring.candidates import assign_interview, create_candidate
from hiring.db import new_session
from hiring.models import AuditEntry, IdempotencyKey, Rating, Role, Scorecard
from tests.helpers import make_user
from tests.live_server import LiveServer, hiring_serve

RUBRIC = "product-manager"
COMPETENCIES = ["high-agency", "comfort-with-ambiguity", "leading-through-influence", "high-eq",
                "decisiveness", "bias-to-shipping"]  # fmt: skip
CLIENTS, INTERVIEWS_EACH, DRAFTS = 16, 6, 9  # each interview: DRAFTS saves, a submit, an amend
RACES = 30  # rounds of identical concurrent retries, and of conflicting writers
KILLS, KILL_EVERY = 3, 3.0  # seconds: about what gunicorn takes to boot the replacement
EVIDENCE = "Rebuilt the onboarding funnel unasked; cut drop-off from 40% to 22% in three weeks."
RECOMMENDATIONS = ["strong_no", "no", "yes", "strong_yes"]
CUT_OFF = (http.client.HTTPException, ConnectionError, TimeoutError)
pytestmark = pytest.mark.server


def workers(server: LiveServer) -> list[int]:
    """The gunicorn workers: the children of `hiring serve`'s process, oldest first."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue  # not a process, or one that just ended
        if entry.name.isdigit() and int(stat[1]) == server.process.pid:
            found.append((int(stat[19]), int(entry.name)))  # start time, pid
    return [pid for _, pid in sorted(found)]


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    raw: bytes


class Client:
    """One API user. Every request has a connection of its own, so a connection the
    server drops is always a request cut off, never an idle keep-alive."""

    def __init__(self, server: LiveServer, token: str) -> None:
        self.address, self.token = server.base.removeprefix("http://"), token

    def request(self, method: str, path: str, body: Any = None, **headers: str) -> Answer:
        connection = http.client.HTTPConnection(self.address, timeout=60)
        headers = {"Authorization": f"Bearer {self.token}", **headers}
        data = None if body is None else json.dumps(body).encode()
        if data is not None:
            headers["Content-Type"] = "application/json"
        try:
            connection.request(method, f"/api/v1{path}", data, headers)
            response = connection.getresponse()
            raw = response.read()
        finally:
            connection.close()
        return Answer(response.status, json.loads(raw) if raw.startswith(b"{") else {}, raw)

    def put(self, write: Write) -> Answer:
        """Send `write` (again); its answer is added to its answers."""
        headers = {} if write.version is None else {"If-Match": str(write.version)}
        if write.key is not None:
            headers["Idempotency-Key"] = write.key
        path = f"/interviews/{write.interview_id}/scorecard"
        write.answers.append(self.request("PUT", path, write.body, **headers))
        return write.answers[-1]


@dataclass
class Write:
    """A scorecard write as its client saw it: what it sent, and each answer to it."""

    interview_id: int
    body: dict[str, Any]
    version: int | None  # If-Match
    key: str | None  # Idempotency-Key
    answers: list[Answer] = field(default_factory=list)

    @property
    def stored(self) -> bool:
        """Whether the client was told the write succeeded."""
        return bool(self.answers) and self.answers[0].status == 200


def card(marker: str, rated: int, submit: bool = False) -> dict[str, Any]:
    """A scorecard rating the rubric's first `rated` competencies, `marker` (which write
    this is) in its takeaways and its ratings."""
    score = [1 + zlib.crc32(f"{marker} {c}".encode()) % 4 for c in COMPETENCIES]
    return {
        "ratings": {
            c: {"rating": score[n], "evidence": f"{EVIDENCE} ({c})"}
            for n, c in enumerate(COMPETENCIES[:rated])
        },
        "recommendation": RECOMMENDATIONS[score[-1] - 1],
        "takeaways": marker,
        "submit": submit,
    }


def seed(app: Flask, interviewers: int, each: int) -> tuple[list[str], list[list[int]]]:
    """Interviewers with API tokens, each with `each` interviews (on every competency) of
    candidates they share with colleagues: their tokens and their interviews' ids."""
    rubrics = app.extensions["hiring.rubrics"].current()
    with new_session(app.extensions["hiring.engine"]) as session:
        people = [make_user(session, email=f"load{n}@example.com") for n in range(interviewers)]
        candidates = [
            create_candidate(
                session=session,
                rubrics=rubrics,
                name=f"Cand {n}",
                email=f"cand{n}@example.org",
                rubric_id=RUBRIC,
            )
            for n in range(max(4, interviewers * each // 4))
        ]
        interviews: list[list[int]] = [[] for _ in people]
        for number, person in enumerate(people):
            for slot in range(each):
                candidate = candidates[(number + 4 * slot) % len(candidates)]
                made = assign_interview(
                    session=session,
                    rubrics=rubrics,
                    candidate=candidate,
                    interviewer_email=person.email,
                )
                assert made.id is not None
                interviews[number].append(made.id)
        tokens = [accounts.issue_token(session=session, user=person) for person in people]
        make_user(session, email="rita@example.com", role=Role.RECRUITER)
        session.commit()
    return tokens, interviews


def in_parallel(tasks: list[Callable[[], Any]]) -> list[Any]:
    """Run each task in a thread of its own, all at once; re-raise the first failure."""
    with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
        futures = [pool.submit(task) for task in tasks]
        return [future.result() for future in futures]


# What the database must hold afterwards


def check_answers(writes: list[Write], server: LiveServer) -> None:
    """No server error, no locked database: every answer a 200 or a 409."""
    answers = [answer for write in writes for answer in write.answers]
    odd = [
        (write.key, a.raw[:300])
        for write in writes
        for a in write.answers
        if a.status not in (200, 409)
    ]
    assert not odd, (Counter(answer.status for answer in answers), odd[:5])
    log = server.output()
    assert "database is locked" not in log and "Traceback" not in log, log[-3000:]
    assert not re.search(r'HTTP/1.1" 5[0-9][0-9] ', log)


def check_stored_once(session: Session, writes: list[Write]) -> None:
    """Each scorecard's acknowledged writes got versions 1, 2, 3... one each, and the
    database holds the last; every answer to a key is the one stored for it."""
    by_interview: dict[int, list[Write]] = defaultdict(list)
    for write in writes:
        by_interview[write.interview_id].append(write)
        if write.key and write.stored:
            assert len({a.raw for a in write.answers}) == 1, f"{write.key!r} answered twice"
    for interview_id, mine in by_interview.items():
        stored = sorted((w for w in mine if w.stored), key=lambda w: w.answers[0].body["version"])
        versions = [w.answers[0].body["version"] for w in stored]
        assert versions == list(range(1, len(stored) + 1)), (interview_id, versions)
        found = session.exec(select(Scorecard).where(Scorecard.interview_id == interview_id)).one()
        assert found.version == len(stored)
        assert (found.takeaways, found.ratings) == (
            stored[-1].body["takeaways"],
            stored[-1].body["ratings"],
        )
        submitted = any(w.body["submit"] for w in stored)
        assert found.status.value == ("submitted" if submitted else "draft")
    told = {w.key: w.answers[0].body for w in writes if w.key and w.stored}
    assert {k.key: k.body for k in session.exec(select(IdempotencyKey))} == told


def check_audit(session: Session, writes: list[Write]) -> None:
    """A submitted scorecard has an audit entry for each acknowledged submit or amendment,
    in order, and a rating row for each rating of its last version."""
    submitted = select(Scorecard).where(col(Scorecard.submitted_at).is_not(None))
    for scorecard in session.exec(submitted):
        mine = [w for w in writes if w.interview_id == scorecard.interview_id and w.stored]
        told = sorted(
            (w for w in mine if w.body["submit"]), key=lambda w: w.answers[0].body["version"]
        )
        entries = session.exec(
            select(AuditEntry)
            .where(AuditEntry.scorecard_id == scorecard.id)
            .order_by(col(AuditEntry.id))
        ).all()
        assert [e.action for e in entries] == ["submitted"] + ["amended"] * (len(told) - 1)
        assert [e.changes["takeaways"]["after"] for e in entries] == [
            w.body["takeaways"] for w in told
        ]
        rows = session.exec(select(Rating).where(Rating.scorecard_id == scorecard.id)).all()
        assert len(rows) == len(scorecard.ratings)
        assert {r.competency_id: r.rating for r in rows} == {
            c: given["rating"] for c, given in scorecard.ratings.items()
        }


def check_complete(session: Session) -> set[str]:
    """Every scorecard is whole: submitted with all six ratings, a rating row for each,
    an audit entry for each version, and the stored answer of the write that made it.
    Returns the stored idempotency keys."""
    keys = {k.key: k for k in session.exec(select(IdempotencyKey))}
    scorecards = session.exec(select(Scorecard)).all()
    for scorecard in scorecards:
        assert scorecard.status.value == "submitted" and scorecard.submitted_at is not None
        assert scorecard.takeaways.endswith(f"write {scorecard.version}")
        assert len(scorecard.ratings) == len(COMPETENCIES)
        rows = session.exec(select(Rating).where(Rating.scorecard_id == scorecard.id)).all()
        assert {r.competency_id: r.rating for r in rows} == {
            c: given["rating"] for c, given in scorecard.ratings.items()
        }
        entries = session.exec(
            select(AuditEntry)
            .where(AuditEntry.scorecard_id == scorecard.id)
            .order_by(col(AuditEntry.id))
        ).all()
        assert len(entries) == scorecard.version
        assert entries[-1].changes["takeaways"]["after"] == scorecard.takeaways
        assert keys[f"{scorecard.takeaways} key"].body["version"] == scorecard.version
    assert len(keys) == sum(scorecard.version for scorecard in scorecards)
    return set(keys)


# The load test


def steady_client(client: Client, number: int, interview_ids: list[int]) -> list[Write]:
    """On each interview, DRAFTS drafts, a submit and an amendment, each from the version
    the last answer gave. Most carry an Idempotency-Key; a quarter of those are sent two
    or three times, and now and then the one before is sent again late."""
    writes: list[Write] = []
    for interview_id in interview_ids:
        version = 0
        for step in range(1, DRAFTS + 3):
            marker = f"client {number} interview {interview_id} write {step}"
            body = card(marker, min(len(COMPETENCIES), step), submit=step > DRAFTS)
            keyed = (step + number) % 5 != 0
            write = Write(interview_id, body, version, f"{marker} key" if keyed else None)
            for _ in range(1 + (keyed and step % 4 == 1) + (keyed and step % 8 == 1)):
                client.put(write)
            if keyed and step % 7 == 3 and writes[-1].key:
                client.put(writes[-1])
            writes.append(write)
            assert write.stored, write.answers[0].raw
            version = write.answers[0].body["version"]
    return writes


def racing(
    client: Client, name: str, barrier: threading.Barrier, versions: dict[int, int], same_key: bool
) -> list[Write]:
    """Rounds in which every racing thread writes the same scorecard at the same moment:
    with `same_key`, the same write with the same key (the first round on each scorecard
    creates it; every other round without If-Match); otherwise each its own write from
    the same version."""
    writes, interview_ids = [], list(versions)
    for number in range(RACES):
        interview_id = interview_ids[number % len(interview_ids)]
        if same_key:
            marker, last = f"duplicate round {number}", number >= RACES - len(interview_ids)
            version = versions[interview_id] if number % 2 == 0 else None
            write = Write(interview_id, card(marker, 3, submit=last), version, f"{marker} key")
        else:
            marker = f"conflict round {number} by {name}"
            write = Write(interview_id, card(marker, 2), versions[interview_id], marker)
        writes.append(write)
        barrier.wait()
        answer = client.put(write)
        barrier.wait()
        if answer.status == 200:
            versions[interview_id] = answer.body["version"]
        barrier.wait()  # every thread knows the new version
    return writes


def test_concurrent_writes_are_stored_exactly_once(app: Flask, tmp_path: Path) -> None:
    tokens, interviews = seed(app, CLIENTS + 2, INTERVIEWS_EACH)
    same = {i: 0 for i in interviews[CLIENTS][:3]}
    conflicting = {i: 0 for i in interviews[CLIENTS + 1][:3]}
    with hiring_serve(app.config["DATABASE_URL"], tmp_path, workers=3) as server:
        steady = [Client(server, token) for token in tokens[:CLIENTS]]
        racer, fighter = Client(server, tokens[-2]), Client(server, tokens[-1])
        three, two = threading.Barrier(3, timeout=60), threading.Barrier(2, timeout=60)
        started = time.monotonic()
        results = in_parallel(
            [lambda n=n: steady_client(steady[n], n, interviews[n]) for n in range(CLIENTS)]
            + [lambda n=n: racing(racer, str(n), three, same, True) for n in range(3)]
            + [lambda n=n: racing(fighter, n, two, conflicting, False) for n in "AB"]
        )
        elapsed = time.monotonic() - started
    steady_writes = [write for writes in results[:CLIENTS] for write in writes]
    duplicates = list(zip(*results[CLIENTS : CLIENTS + 3], strict=True))
    fights = list(zip(*results[CLIENTS + 3 :], strict=True))
    every = [write for writes in results for write in writes]
    print(
        f"{sum(len(w.answers) for w in every)} requests from {CLIENTS + 5} clients "
        f"in {elapsed:.1f} s"
    )
    check_answers(every, server)
    assert len(steady_writes) >= 1000 and all(write.stored for write in steady_writes)
    for copies in duplicates:  # the same answer to each, written once
        assert [w.answers[0].raw for w in copies] == [copies[0].answers[0].raw] * 3
        assert copies[0].stored, copies[0].answers[0].raw
    for pair in fights:  # one wins, the other is told what it lost to
        [won] = [w for w in pair if w.stored]
        [lost] = [w for w in pair if w.answers[0].status == 409]
        current = lost.answers[0].body["details"]["current"]
        assert current["version"] == won.answers[0].body["version"]
        assert current["takeaways"] == won.body["takeaways"]
    with new_session(app.extensions["hiring.engine"]) as session:
        written = steady_writes + [c[0] for c in duplicates] + [w for p in fights for w in p]
        check_stored_once(session, written)
        check_audit(session, written)
        assert len(session.exec(select(Scorecard)).all()) == CLIENTS * INTERVIEWS_EACH + 6


# The crash test


def crashing_client(
    client: Client, number: int, interview_ids: list[int], stop: threading.Event
) -> list[Write]:
    """Submit each interview, then amend it, again and again until stopped. A write cut off
    by a crash leaves its interview alone: its outcome is unknown until it is retried."""
    writes, versions = [], dict.fromkeys(interview_ids, 0)
    while versions and not stop.is_set():
        for interview_id, version in list(versions.items()):
            marker = f"client {number} interview {interview_id} write {version + 1}"
            body = card(marker, len(COMPETENCIES), submit=True)
            write = Write(interview_id, body, version, f"{marker} key")
            writes.append(write)
            try:
                answer = client.put(write)
            except CUT_OFF:
                del versions[interview_id]
                continue
            assert answer.status == 200, answer.raw
            versions[interview_id] = answer.body["version"]
    return writes


def kill_workers(server: LiveServer, stop: threading.Event) -> list[int]:
    """SIGKILL the oldest worker (booted for certain) every KILL_EVERY seconds."""
    killed = []
    for _ in range(KILLS):
        time.sleep(KILL_EVERY)
        killed.append(workers(server)[0])
        os.kill(killed[-1], signal.SIGKILL)
    time.sleep(KILL_EVERY)
    stop.set()
    return killed


def test_killed_workers_leave_no_partial_scorecard(app: Flask, tmp_path: Path) -> None:
    tokens, interviews = seed(app, CLIENTS, 8)
    with hiring_serve(app.config["DATABASE_URL"], tmp_path, workers=2) as server:
        first, stop = workers(server), threading.Event()
        clients = [Client(server, token) for token in tokens]
        results = in_parallel(
            [lambda: kill_workers(server, stop)]
            + [
                lambda n=n: crashing_client(clients[n], n, interviews[n], stop)
                for n in range(CLIENTS)
            ]
        )
        killed, writes = results[0], [write for writes in results[1:] for write in writes]
        cut_off = [write for write in writes if not write.answers]
        assert len(cut_off) >= len(killed)  # the kills landed while submits were in flight
        with new_session(app.extensions["hiring.engine"]) as session:
            committed = check_complete(session) & {write.key for write in cut_off}
        print(
            f"{len(writes)} submits, {len(killed)} workers killed, {len(cut_off)} submits cut off"
        )
        print(f"{len(committed)} of those had committed, {len(cut_off) - len(committed)} not")
        owner = {i: clients[n] for n, mine in enumerate(interviews) for i in mine}
        for write in cut_off:  # retried with the same key: written once, whatever happened
            owner[write.interview_id].put(write)
        assert {client.request("GET", "/me").status for client in clients} == {200}
        assert server.process.poll() is None and len(workers(server)) == 2
        assert set(first) <= set(killed) and not set(workers(server)) & set(killed)
    check_answers(writes, server)
    with new_session(app.extensions["hiring.engine"]) as session:
        check_stored_once(session, writes)
        check_audit(session, writes)
        check_complete(session)
