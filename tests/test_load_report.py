"""The load test's memory verdict (evals/load.py): what it calls flat, and how an index swap
during the run is counted."""

from __future__ import annotations

from evals.load import format_table
from evals.loadwatch import rss_verdict, settled_after


def test_growth_after_warm_up_beyond_ten_percent_fails_the_run():
    assert rss_verdict(240, 280, 300)["ok"]  # +7%
    failed = rss_verdict(240, 280, 320)
    assert not failed["ok"] and failed["growth_after_warmup"] == 0.143


def test_after_an_index_swap_growth_counts_from_when_the_swap_settled():
    samples = [(0.0, 355.0), (30.0, 372.0), (40.0, 390.0), (50.0, 395.0), (150.0, 401.0)]
    settled = settled_after(samples, 34.0)  # the rebuild ended at 34 s; 15 s later
    assert settled == 395.0
    verdict = rss_verdict(318, 355, 401, settled)
    assert verdict["ok"] and verdict["growth_after_warmup"] == 0.015
    assert not rss_verdict(318, 355, 401)["ok"]  # counted from the warm-up it would fail
    assert settled_after(samples, None) is None


def _report(rss: dict) -> dict:
    figures = {"requests": 10, "errors": 0, "p50_ms": 1.0, "p95_ms": 2.0, "max_ms": 3.0}
    return {"run": {"users": 8, "seconds": 150, "queue": {}}, "machine": {"cpus": 2},
            "per_mode": {"vraag": figures}, "all": figures, "load_avg_1m": [0.5, 2.0], "rss": rss,
            "throughput_rps": 5.0, "elapsed_s": 150, "error_examples": [], "faults": None}


def test_the_report_says_when_memory_grew_too_much_and_from_which_point():
    assert "te veel gegroeid" in format_table(_report(rss_verdict(240, 280, 320)))
    swapped = format_table(_report(rss_verdict(318, 355, 401, 395)))
    assert "na de indexwissel 395 MB" in swapped and "+1.5% na de wissel" in swapped
    assert "te veel" not in swapped


def test_memory_that_could_not_be_measured_fails_the_run():
    for figures in [(None, None, None), (240, None, 300), (240, 280, None)]:
        verdict = rss_verdict(*figures)
        assert verdict["ok"] is False and verdict["measured"] is False
    assert "niet gemeten" in format_table(_report(rss_verdict(None, None, None)))


def test_with_url_the_load_tool_finds_the_app_process_or_fails(tmp_path, corpus_copy):
    """Against a running app (here: in this test's own process), --url measures that process's
    memory; with a process id that does not exist it says so and the run fails."""
    import json
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from app_server import running_app
    from test_app_events import FakeAssistant

    from assistant.app.ui import create_app
    from evals.load import main
    from evals.loadwatch import listening_pid
    from ingest.config import Settings

    app = create_app(FakeAssistant(), Settings(home=tmp_path / "home", corpus_dir=corpus_copy))
    with running_app(app) as url:
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        assert listening_pid(port) == os.getpid()
        common = ["--url", url, "--users", "1", "--seconds", "2", "--warmup", "1", "--modes", "vraag"]
        found = main([*common, "--out-dir", str(tmp_path / "a")])
        gone = main([*common, "--pid", "999999999", "--out-dir", str(tmp_path / "b")])
    measured = json.loads((tmp_path / "a" / "load-latest.json").read_text())["rss"]
    missing = json.loads((tmp_path / "b" / "load-latest.json").read_text())["rss"]
    assert measured["start_mb"] and measured["end_mb"] and measured["measured"], measured
    assert missing["end_mb"] is None and missing["ok"] is False
    assert gone == 1
    assert found in (0, 1)  # growth in a test process says little; that it was measured does
