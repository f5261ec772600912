"""`hiring serve` as a real server in a subprocess, for the tests that speak real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import TEST_SECRET_KEY

HIRING = str(Path(sys.executable).with_name("hiring"))


@dataclass(frozen=True)
class LiveServer:
    """A running `hiring serve`: its address, its process and the file it logs to."""

    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def hiring_serve(
    database_url: str,
    folder: Path,
    *,
    workers: int = 2,
    threads: int | None = None,
    extra_env: dict[str, str] | None = None,
) -> Iterator[LiveServer]:
    """Start `hiring serve` on `database_url` (instance folder and log in `folder`), wait
    until it answers, and stop it afterwards."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_SECRET_KEY,
        "HIRING_INSTANCE_PATH": str(folder),
        **(extra_env or {}),
    }
    log = folder / f"serve-{port}.log"
    command = [HIRING, "serve", "--port", str(port), "--workers", str(workers)]
    if threads is not None:
        command += ["--threads", str(threads)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_until_serving(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_serving(server: LiveServer, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"hiring serve exited:\n{server.output()}")
        try:
            urllib.request.urlopen(f"{server.base}/auth/login", timeout=2).close()  # noqa: S310
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise AssertionError(f"hiring serve did not answer in time:\n{server.output()}")
