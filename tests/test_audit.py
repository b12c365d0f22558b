"""The audit log (for archiving and Woo requests): off unless switched on, one JSON line per answer,
whole lines under concurrent threads and processes, and never a lost answer when it cannot write."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant import audit
from assistant.compose.answer import Answer, Citation, Point
from ingest.config import REPO_ROOT
from ingest.index.passage import Passage

sys.path.insert(0, str(Path(__file__).parent))
from answer_helpers import corpus_assistant  # noqa: E402

GRIP = "Hoe kan de gemeenteraad grip houden op regionale samenwerking?"


def make_answer(question: str = "Wat doet de raad?", pid: str = "doc:1") -> Answer:
    p = Passage(id=pid, doc_id="doc", title="Werkende samenwerking", kind="rapport",
                text="De raad stelt kaders.", page=4, section=None, block="tekst", steps=[1],
                steps_inferred=False, wegwijzer=None, speaker=None, places=[], research_pages=[],
                position=0)
    return Answer(question=question, mode="notitie", backend="none", abstained=False, notice=None,
                  summary=[Point("De raad stelt kaders.", [1])], steps=[], silent_steps=[],
                  examples=[], citations=[Citation(1, p, 0.9)],
                  meta={"markdown": "# Notitie\n\nDe raad stelt kaders. [1]\n"})


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- pure -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    (None, None), ("", None), ("0", None), ("uit", None), ("off", None),
    ("1", "HOME/audit.jsonl"), ("aan", "HOME/audit.jsonl"), ("/srv/log/regiowijzer.jsonl",
                                                             "/srv/log/regiowijzer.jsonl"),
])
def test_the_setting_switches_the_log_on_and_names_its_file(value, expected):
    env = {"REGIOWIJZER_HOME": "HOME"}
    if value is not None:
        env[audit.AUDIT_ENV] = value
    path = audit.audit_path(env)
    assert (str(path) if path else None) == expected


def test_a_record_has_time_question_mode_passages_backend_hash_and_abstention():
    answer = make_answer("Wat is weefsel?", pid="vng-denktank-jaarbericht-2018:abc123")
    record = audit.audit_record(answer, now=datetime(2026, 3, 1, 9, 30, tzinfo=UTC))
    assert record == {
        "time": "2026-03-01T09:30:00.000+00:00",
        "question": "Wat is weefsel?",
        "mode": "notitie",
        "passages": ["vng-denktank-jaarbericht-2018:abc123"],
        "backend": "none",
        "answer_sha256": hashlib.sha256(answer.meta["markdown"].encode()).hexdigest(),
        "abstained": False,
    }


def test_threads_each_add_whole_lines(tmp_path):
    log = tmp_path / "audit.jsonl"
    env = {audit.AUDIT_ENV: str(log)}
    long_question = "Hoe werken gemeenten samen? " * 35  # about 1000 characters, as a long question

    def write(n: int) -> None:
        for i in range(25):
            audit.record(make_answer(f"{n}-{i} {long_question}"), env)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    records = read_lines(log)
    assert len(records) == 200
    assert {r["question"].split()[0] for r in records} == {f"{n}-{i}" for n in range(8) for i in range(25)}


def test_processes_each_add_whole_lines(tmp_path):
    log = tmp_path / "audit.jsonl"
    code = ("import sys\nsys.path.insert(0, sys.argv[2])\nfrom test_audit import make_answer\n"
            "from assistant import audit\n"
            "for i in range(50):\n"
            "    audit.record(make_answer(sys.argv[1] + '-' + str(i) + ' ' + 'x' * 900), "
            "{'REGIOWIJZER_AUDIT_LOG': sys.argv[3]})\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, f"p{n}", str(Path(__file__).parent), str(log)],
                              cwd=REPO_ROOT) for n in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0] * 4
    records = read_lines(log)
    assert len(records) == 200
    assert len({r["question"].split()[0] for r in records}) == 200


@pytest.mark.parametrize("target", ["a directory", "inside a file", "not writable"])
def test_a_log_that_cannot_be_written_warns_and_does_not_raise(tmp_path, capsys, monkeypatch, target):
    blocker = tmp_path / "blocker"
    if target == "a directory":
        blocker.mkdir()
        path = blocker
    elif target == "inside a file":
        blocker.write_text("", encoding="utf-8")
        path = blocker / "audit.jsonl"
    else:  # read-only: chmod does not stop root, so the permission error is what os.open raises
        path = tmp_path / "audit.jsonl"

        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr(audit.os, "open", refuse)
    audit.record(make_answer(), {audit.AUDIT_ENV: str(path)})
    assert "auditlog" in capsys.readouterr().err


# --- through the assistant, on the real corpus index ----------------------------------------------


@pytest.fixture(scope="module")
def assistant(corpus_index, embedder):
    settings, _ = corpus_index
    return corpus_assistant(settings, embedder)


@pytest.mark.slow
def test_off_by_default_nothing_is_written(assistant, isolated_home, tmp_path, monkeypatch):
    monkeypatch.delenv(audit.AUDIT_ENV, raising=False)
    assistant.ask(GRIP)
    assert not (isolated_home / audit.DEFAULT_NAME).exists()
    assert list(tmp_path.rglob("*.jsonl")) == []


@pytest.mark.slow
def test_on_each_answer_adds_one_line_with_the_cited_passages(assistant, tmp_path, monkeypatch):
    log = tmp_path / "logs" / "audit.jsonl"
    monkeypatch.setenv(audit.AUDIT_ENV, str(log))
    answers = [assistant.ask(GRIP), assistant.ask("Wat is het recept voor appeltaart?", mode="notitie"),
               *[item for item in assistant.ask_stream("Wat is weefsel?", mode="gespreksvragen")]]
    records = read_lines(log)
    assert len(records) == len(answers) == 3
    for record, answer in zip(records, answers, strict=True):
        assert record["question"] == answer.question and record["mode"] == answer.mode
        assert record["passages"] == [c.passage.id for c in answer.citations]
        assert record["backend"] == "none" and record["abstained"] == answer.abstained
        expected = hashlib.sha256(answer.meta["markdown"].encode("utf-8")).hexdigest()
        assert record["answer_sha256"] == expected
        assert datetime.fromisoformat(record["time"]).utcoffset().total_seconds() == 0
    assert records[0]["passages"] and not records[0]["abstained"]
    assert records[1]["abstained"]


@pytest.mark.slow
def test_switched_on_with_1_the_log_lives_in_the_data_directory(assistant, isolated_home, monkeypatch):
    monkeypatch.setenv(audit.AUDIT_ENV, "1")
    answer = assistant.ask(GRIP)
    [record] = read_lines(isolated_home / audit.DEFAULT_NAME)
    assert record["question"] == answer.question


@pytest.mark.slow
def test_a_log_that_cannot_be_written_does_not_stop_the_answer(assistant, tmp_path, monkeypatch, capsys):
    target = tmp_path / "readonly"
    target.mkdir()  # a directory where the file should be: the write fails even for root
    monkeypatch.setenv(audit.AUDIT_ENV, str(target))
    answer = assistant.ask(GRIP)
    assert not answer.abstained and answer.citations
    assert "auditlog" in capsys.readouterr().err
