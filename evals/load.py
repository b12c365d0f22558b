"""`python -m evals.load`: N simulated users ask questions of `regiowijzer serve` at the same time.

The app runs in its own process on 127.0.0.1 (a free port) against the configured index, which
is built first when missing. Each user is a thread with its own `gradio_client` session that asks
dev questions through `/ask`, the event the browser's "Vraag stellen" button uses, in conversations
of a few questions; the modes take turns. Every request has a timeout and the run stops by itself
after `--seconds`. Not part of the test run: it takes a minute and loads the whole machine.

The app's RSS is reported at start, after a warm-up phase (`--warmup` seconds of the same load,
not counted in the latencies) and at the end; the report fails when it grew more than 10% after
warm-up. The warm-up is 30 s so every mode has run at full concurrency before the measurement.
RSS used to step up under load (≈ 250 → 480 MB): DOCX exports left their parsed template in
reference cycles that only rare full collections freed; assistant/app/memory.py says what the
app does about it.
`--faults` runs the load while `regiowijzer ingest --rebuild` swaps the index (a
subprocess on the same REGIOWIJZER_HOME, a fifth of the way in) and while the app's model
backend is a slow loopback server (evals/slow_llm.py; every fifth request hangs past the
deadlines): every question must still get its answer.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

from assistant.app.state import RETIRE_AFTER_S
from assistant.compose.answer import ABSTAIN_TEXT, MODES
from evals.bench_phases import bench_questions
from evals.loadwatch import (
    Rebuild,
    RssSampler,
    faults_env,
    listening_pid,
    rss_mb,
    rss_verdict,
    settled_after,
)
from evals.metrics import percentile
from evals.report import write_report
from evals.slow_llm import SlowLLMServer
from ingest.config import REPO_ROOT, quiet_third_parties

RESULTS_DIR = Path(__file__).resolve().parent / "results"
TURNS = 3  # questions per conversation before a user starts a new one


@dataclass(frozen=True)
class Sample:
    user: int
    mode: str
    ms: float
    ok: bool
    error: str | None = None


def load_average() -> float | None:
    """The 1-minute load: other work on the machine inflates every latency."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, log: Path, say=print, env: dict | None = None) -> subprocess.Popen:
    """Build the index when needed (a no-op when nothing changed), then serve on loopback."""
    cli = [sys.executable, "-m", "assistant.cli.main"]
    ingest = subprocess.run([*cli, "ingest", "--quiet"], cwd=REPO_ROOT, timeout=1800, check=False)
    if ingest.returncode > 1:
        raise RuntimeError(f"ingest stopte met status {ingest.returncode}")
    say(f"App starten op 127.0.0.1:{port} (uitvoer in {log}) …")
    with log.open("w", encoding="utf-8") as out:
        return subprocess.Popen([*cli, "serve", "--host", "127.0.0.1", "--port", str(port)],
                                cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, **(env or {})})


def wait_ready(url: str, proc: subprocess.Popen | None, limit_s: float = 300) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"de app stopte met status {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"de app antwoordde niet binnen {limit_s:.0f} s op {url}")


def judge(result) -> str | None:
    """None when the last chat message is a cited answer or an abstention, else what it was."""
    chat = result[0] if result else None
    if not chat or chat[-1].get("role") != "assistant":
        return "geen antwoord in het gesprek"
    text = "".join(part.get("text", "") for part in chat[-1]["content"] if isinstance(part, dict))
    if "#bron-" in text or ABSTAIN_TEXT in text:
        return None
    return f"onverwacht antwoord: {text[:80]!r}"


def simulated_user(n: int, client, questions: Sequence[str], modes: Sequence[str], deadline: float,
                   timeout: float, think: float, samples: list[Sample], lock: threading.Lock) -> None:
    """Ask until the deadline; each question in the next mode, a new conversation every few turns."""
    i = n  # users start at different questions
    while time.monotonic() < deadline:
        question, mode = questions[i % len(questions)], modes[i % len(modes)]
        start, job = time.perf_counter(), None
        try:
            if i % TURNS == 0:
                client.predict(api_name="/new_conversation")
                start = time.perf_counter()
            job = client.submit(question, mode, [], [], [], api_name="/ask")
            error = judge(job.result(timeout=timeout))
        except Exception as err:  # a timeout or a broken connection is an error of the run
            if job is not None:
                job.cancel()
            error = f"{type(err).__name__}: {err}"[:200]
        ms = (time.perf_counter() - start) * 1000
        with lock:
            samples.append(Sample(n, mode, round(ms, 1), error is None, error))
        i += 1
        if think:
            time.sleep(think)


def drive(url: str, users: int, seconds: float, modes: Sequence[str], timeout: float,
          think: float = 0.0, questions: Sequence[str] | None = None) -> tuple[list[Sample], float]:
    from gradio_client import Client

    questions = list(questions or bench_questions(30))
    clients = [Client(url, verbose=False, download_files=False, analytics_enabled=False)
               for _ in range(users)]
    samples: list[Sample] = []
    lock = threading.Lock()
    start = time.monotonic()
    deadline = start + seconds
    threads = [threading.Thread(target=simulated_user, daemon=True,
                                args=(n, c, questions, modes, deadline, timeout, think, samples, lock))
               for n, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()) + timeout + 30)
    elapsed = time.monotonic() - start
    for c in clients:
        c.close()
    with lock:
        return list(samples), elapsed


def summarise(samples: Sequence[Sample], elapsed: float) -> dict:
    def figures(group: Sequence[Sample]) -> dict:
        ms = [s.ms for s in group if s.ok]
        return {"requests": len(group), "errors": sum(not s.ok for s in group),
                "p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1),
                "max_ms": round(max(ms, default=0.0), 1)}

    modes = sorted({s.mode for s in samples}, key=MODES.index)
    return {"elapsed_s": round(elapsed, 1), "throughput_rps": round(len(samples) / elapsed, 2),
            "all": figures(samples), "per_mode": {m: figures([s for s in samples if s.mode == m])
                                                  for m in modes},
            "requests_per_user": [sum(s.user == n for s in samples)
                                  for n in range(max((s.user for s in samples), default=-1) + 1)],
            "error_examples": sorted({s.error for s in samples if s.error})[:10]}


def format_table(report: dict) -> str:
    run, total = report["run"], report["all"]
    lines = [f"**Belastingstest: {run['users']} gelijktijdige gebruikers, {run['seconds']:.0f} s, "
             f"{report['machine']['cpus']} cores, Gradio-wachtrij {run['queue']}**", "",
             "| modus | verzoeken | fouten | p50 ms | p95 ms | max ms |", "|---|---|---|---|---|---|"]
    for mode, f in [*report["per_mode"].items(), ("**alle**", total)]:
        lines.append(f"| {mode} | {f['requests']} | {f['errors']} | {f['p50_ms']:.0f} "
                     f"| {f['p95_ms']:.0f} | {f['max_ms']:.0f} |")
    load, rss = report["load_avg_1m"], report["rss"]
    growth = rss["growth_after_warmup"]
    lines += ["", f"Geheugen van de app (RSS): start {rss['start_mb']} MB, na opwarmen "
              f"{rss['warm_mb']} MB, "
              + (f"na de indexwissel {rss['swapped_mb']} MB (nieuwe en oude index naast elkaar, "
                 f"tot de oude na {RETIRE_AFTER_S:.0f} s sluit), " if rss.get("swapped_mb") else "")
              + f"eind {rss['end_mb']} MB"
              + (f" ({growth:+.1%} na " + ("de wissel" if rss.get("swapped_mb") else "opwarmen")
                 + f"; grens +{rss['limit']:.0%})" if growth is not None else "")
              + ("" if rss["ok"] else " — **te veel gegroeid**" if rss.get("measured", True)
                 else " — **niet gemeten** (geen proces-id van de app; geef --pid)") + "."]
    if report.get("faults"):
        rebuild, llm = report["faults"]["rebuild"], report["faults"]["llm"]
        lines += ["", f"Storingen: `ingest --rebuild` na {rebuild['started_s']:.0f} s, klaar in "
                  f"{rebuild['seconds']} s (status {rebuild['returncode']}); trage taalmodelserver: "
                  f"{llm['requests']} verzoeken (elk vijfde hangt)."]
    lines += ["", f"Doorvoer: {report['throughput_rps']:.2f} antwoorden per seconde "
              f"({total['requests']} in {report['elapsed_s']:.0f} s). Latentie: van versturen tot het "
              "complete antwoord in het gesprek, inclusief wachtrij en de stapsgewijze weergave.",
              "", f"Belasting van de machine (load average 1 min, begin→eind): {load[0]}→{load[1]}."]
    if report["error_examples"]:
        lines += ["", "Fouten, bijvoorbeeld:", *[f"- {e}" for e in report["error_examples"]]]
    return "\n".join(lines) + "\n"


def save(report: dict, out_dir: Path = RESULTS_DIR) -> tuple[Path, Path]:
    name = "load-faults-latest" if report["run"].get("faults") else "load-latest"
    return write_report(out_dir, name, report, format_table(report))


def parse_modes(text: str) -> list[str]:
    modes = [m.strip() for m in text.split(",") if m.strip()]
    if not modes or any(m not in MODES for m in modes):
        raise argparse.ArgumentTypeError(f"modi uit {', '.join(MODES)}, gescheiden door komma's")
    return modes


def _port(url: str) -> int:
    parsed = urlparse(url)
    return parsed.port or (443 if parsed.scheme == "https" else 80)


def main(argv: Sequence[str] | None = None) -> int:
    quiet_third_parties()
    parser = argparse.ArgumentParser(prog="python -m evals.load", description=__doc__)
    parser.add_argument("--users", type=int, default=8, help="gelijktijdige gebruikers (standaard 8)")
    parser.add_argument("--seconds", type=float, default=60, help="duur in seconden (standaard 60)")
    parser.add_argument("--modes", type=parse_modes, default=list(MODES), help="bijv. vraag,notitie")
    parser.add_argument("--timeout", type=float, default=60, help="maximale tijd per vraag (s)")
    parser.add_argument("--think", type=float, default=0.0, help="pauze tussen vragen per gebruiker (s)")
    parser.add_argument("--warmup", type=float, default=30, help="opwarmen vóór de meting (s)")
    parser.add_argument("--faults", action="store_true",
                        help="met een herbouw van de index halverwege en een trage taalmodelserver")
    parser.add_argument("--url", help="een al draaiende app op loopback in plaats van er een te starten")
    parser.add_argument("--pid", type=int, help="met --url: het proces van die app (standaard: het "
                                                 "proces dat op de poort van --url luistert)")
    parser.add_argument("--out-dir", type=Path, default=RESULTS_DIR, help="waar load-latest.* komt")
    args = parser.parse_args(argv)

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    from assistant.app.ui import QUEUE

    proc, url = None, args.url
    if url and urlparse(url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--url moet een loopback-adres zijn (127.0.0.1 of localhost)")
    if args.pid and not url:
        parser.error("--pid hoort bij --url")
    if url and args.faults:
        parser.error("--faults start zijn eigen app; laat --url weg")
    load_before = load_average()
    llm = SlowLLMServer() if args.faults else nullcontext()
    rebuild = Rebuild(delay=args.seconds / 5) if args.faults else None
    try:
        with llm:
            if url is None:
                port = free_port()
                log = Path(tempfile.mkdtemp(prefix="regiowijzer-load-")) / "serve.log"
                proc = start_server(port, log, say, faults_env(llm.url) if args.faults else None)
                url = f"http://127.0.0.1:{port}/"
            wait_ready(url, proc)
            pid = proc.pid if proc is not None else (args.pid or listening_pid(_port(url)))
            if rss_mb(pid) is None:
                say("Let op: het geheugen van de app is niet te meten (geef --pid); "
                    "de meting telt dan als mislukt.")
            rss_start = rss_mb(pid)
            say(f"Opwarmen ({args.warmup:.0f} s) …")
            drive(url, args.users, args.warmup, args.modes, args.timeout, args.think)
            rss_warm = rss_mb(pid)
            say(f"{args.users} gebruikers, {args.seconds:.0f} s, modi {','.join(args.modes)}"
                + (", met storingen" if args.faults else "") + " …")
            worker = rebuild.start() if rebuild else None
            with RssSampler(pid) as sampler:
                samples, elapsed = drive(url, args.users, args.seconds, args.modes, args.timeout,
                                         args.think)
            if worker is not None:
                worker.join(timeout=1800)
            rss_end = rss_mb(pid)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    swap_done = (rebuild.started_s + rebuild.seconds) if rebuild and rebuild.seconds else None
    rss = {**rss_verdict(rss_start, rss_warm, rss_end, settled_after(sampler.samples, swap_done)),
           "samples": sampler.samples}
    faults = {"rebuild": rebuild.report(), "llm": {"requests": llm.requests, "url": llm.url}
              } if rebuild else None
    report = {"created": datetime.now(UTC).isoformat(timespec="seconds"),
              "machine": {"platform": platform.platform(), "cpus": os.cpu_count(),
                          "python": platform.python_version()},
              "run": {"users": args.users, "seconds": args.seconds, "modes": args.modes,
                      "timeout_s": args.timeout, "think_s": args.think, "queue": QUEUE,
                      "warmup_s": args.warmup, "faults": args.faults},
              **summarise(samples, elapsed), "load_avg_1m": [load_before, load_average()],
              "rss": rss, "faults": faults}
    print(format_table(report))
    json_path, md_path = save(report, args.out_dir)
    say(f"Opgeslagen: {json_path} en {md_path}")
    rebuilt = faults is None or faults["rebuild"]["returncode"] in (0, 1)
    return 0 if samples and report["all"]["errors"] == 0 and rss["ok"] and rebuilt else 1


if __name__ == "__main__":
    sys.exit(main())
