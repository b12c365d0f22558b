"""What `python -m evals.load` watches besides the answers: the app's memory (RSS) over the run,
and, with --faults, an ingest that swaps the index mid-run while the model backend is slow."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ingest.config import REPO_ROOT

RSS_GROWTH_LIMIT = 0.10  # the report fails when RSS grows more than this after warm-up


def rss_mb(pid: int | None) -> float | None:
    """Resident memory of a process in MB (Linux /proc), None when unknown."""
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def listening_pid(port: int) -> int | None:
    """The process that listens on TCP `port` (Linux: the socket's inode in /proc/net/tcp*,
    then whose file descriptors hold it); None when it cannot be found."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])  # 0A: LISTEN
    if not inodes:
        return None
    wanted = {f"socket:[{inode}]" for inode in inodes}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) in wanted:
                    return int(proc.name)
        except OSError:
            continue
    return None


class RssSampler:
    """Samples a process's RSS every `every` seconds in a thread: (seconds since start, MB)."""

    def __init__(self, pid: int | None, every: float = 2.0) -> None:
        self.pid, self.every = pid, every
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._start = time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            value = rss_mb(self.pid)
            if value is not None:
                self.samples.append((round(time.monotonic() - self._start, 1), value))
            self._stop.wait(self.every)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def rss_verdict(start: float | None, warm: float | None, end: float | None,
                swapped: float | None = None) -> dict:
    """The memory figures of a run and whether they pass (≤10% growth after warm-up). With an
    index swap (`swapped`: RSS once it settled), growth counts from there: the app holds the new
    index and the old one side by side until the old one retires (RETIRE_AFTER_S)."""
    base = swapped if swapped is not None else warm
    growth = None if base in (None, 0) or end is None else round((end - base) / base, 3)
    # Not measured is not passed: a run whose memory could not be read fails.
    return {"start_mb": start, "warm_mb": warm, "swapped_mb": swapped, "end_mb": end,
            "growth_after_warmup": growth, "limit": RSS_GROWTH_LIMIT,
            "measured": growth is not None,
            "ok": growth is not None and growth <= RSS_GROWTH_LIMIT}


def settled_after(samples: list[tuple[float, float]], seconds: float | None,
                  wait: float = 15.0) -> float | None:
    """The first RSS sample `wait` seconds after `seconds` (the end of an index swap)."""
    if seconds is None:
        return None
    return next((mb for t, mb in samples if t >= seconds + wait), None)


@dataclass
class Rebuild:
    """`regiowijzer ingest --rebuild` in a subprocess after `delay` seconds, same REGIOWIJZER_HOME."""

    delay: float
    started_s: float | None = None
    seconds: float | None = None
    returncode: int | None = None
    output: list[str] = field(default_factory=list)

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self._run, daemon=True)
        thread.start()
        return thread

    def _run(self) -> None:
        time.sleep(self.delay)
        begin = time.monotonic()
        self.started_s = self.delay
        env = {k: v for k, v in os.environ.items() if not k.startswith("REGIOWIJZER_LLM")}
        done = subprocess.run([sys.executable, "-m", "assistant.cli.main", "ingest", "--rebuild",
                               "--quiet"], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                              timeout=1800, check=False)
        self.seconds = round(time.monotonic() - begin, 1)
        self.returncode = done.returncode
        self.output = (done.stdout + done.stderr).strip().splitlines()[-3:]

    def report(self) -> dict:
        return {"started_s": self.started_s, "seconds": self.seconds,
                "returncode": self.returncode, "output": self.output}


def faults_env(llm_url: str) -> dict[str, str]:
    """The app's settings for a fault run: an OpenAI-style model on loopback, short deadlines."""
    return {"REGIOWIJZER_LLM": "openai", "REGIOWIJZER_LLM_URL": llm_url,
            "REGIOWIJZER_LLM_MODEL": "traag", "REGIOWIJZER_LLM_FIRST_TOKEN_S": "4",
            "REGIOWIJZER_LLM_TOTAL_S": "10", "REGIOWIJZER_LLM_TIMEOUT": "15"}
