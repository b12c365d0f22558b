"""Changing the corpus is the app's own action for administrators, not an API; logins are throttled.

A raw HTTP client does what a script would: upload a file through /gradio_api/upload, then call
the add (or delete) event by its number through /gradio_api/queue/join and read the result from
/gradio_api/queue/data. Logged in as a user who is not in REGIOWIJZER_ADMIN, or without a login
on an app that is not its local owner's (`make serve` on loopback is), nothing in the corpus
changes; on the owner's app a request that came through a proxy changes nothing either. 150
wrong passwords in a row are refused after the first few."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from app_server import running_app  # noqa: E402
from test_app_events import FakeAssistant  # noqa: E402

from assistant.app.access import FREE_ATTEMPTS, LoginThrottle  # noqa: E402
from assistant.app.ui import create_app  # noqa: E402
from ingest.config import Settings  # noqa: E402

USERS = [("beheer", "geheim-1"), ("gast", "geheim-2")]


def fn_index(app, name: str) -> int:
    return next(i for i, f in app.fns.items() if getattr(f.fn, "__name__", "") == name)


def raw_event(client: httpx.Client, app, name: str, data: list, session: str) -> dict:
    """Join the queue with one event by its number and return the final message."""
    joined = client.post("/gradio_api/queue/join", json={
        "data": data, "fn_index": fn_index(app, name), "session_hash": session,
        "event_data": None, "trigger_id": None})
    if joined.status_code != 200:
        return {"refused": joined.status_code}
    with client.stream("GET", "/gradio_api/queue/data", params={"session_hash": session},
                       timeout=60) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:"):
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    return message
    raise AssertionError("no result from the queue")


def status_text(message: dict) -> str:
    return json.dumps(message.get("output", {}), ensure_ascii=False)


def upload(client: httpx.Client, path: Path) -> dict:
    reply = client.post("/gradio_api/upload", files={"files": (path.name, path.read_bytes())})
    if reply.status_code != 200:
        return {"refused": reply.status_code}
    return {"path": reply.json()[0], "orig_name": path.name, "meta": {"_type": "gradio.FileData"}}


@pytest.fixture
def corpus_app(tmp_path, corpus_copy, monkeypatch):
    """The app over a writable corpus; re-indexing is recorded instead of run."""
    monkeypatch.setenv("REGIOWIJZER_ADMIN", "beheer")
    reindexed = []

    def fake_reindex(settings, embedder=None):
        from ingest.build import IngestReport

        reindexed.append(settings)
        return IngestReport(status="built", build=None, files=6, passages=200)

    monkeypatch.setattr("assistant.app.documents.reindex", fake_reindex)
    settings = Settings(home=tmp_path / "home", corpus_dir=corpus_copy)
    app = create_app(FakeAssistant(), settings, reload=lambda s: FakeAssistant())
    document = tmp_path / "aanval.txt"
    document.write_text("Een document dat er niet in hoort, over regionale samenwerking.",
                        encoding="utf-8")
    return app, corpus_copy, document, reindexed


def corpus_files(corpus: Path) -> set[str]:
    return {p.name for p in corpus.iterdir()}


def test_without_a_login_a_raw_client_can_neither_add_nor_delete(corpus_app):
    app, corpus, document, reindexed = corpus_app
    before = corpus_files(corpus)
    with running_app(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        added = raw_event(client, app, "add", [upload(client, document)], "aanval-1")
        removed = raw_event(client, app, "remove", ["regiodenken.txt"], "aanval-1")
    assert "alleen een beheerder" in status_text(added)
    assert "alleen een beheerder" in status_text(removed)
    assert corpus_files(corpus) == before and reindexed == []


def test_the_local_owner_adds_but_not_through_a_proxy(corpus_app, corpus_copy):
    app, corpus, document, reindexed = corpus_app
    owner = create_app(FakeAssistant(), Settings(home=corpus.parent / "home2", corpus_dir=corpus),
                       reload=lambda s: FakeAssistant(), local_owner=True)
    before = corpus_files(corpus)
    with running_app(owner) as url:
        with httpx.Client(base_url=url, timeout=30,
                          headers={"X-Forwarded-For": "203.0.113.9"}) as proxied:
            refused = raw_event(proxied, owner, "add", [upload(proxied, document)], "proxy-1")
        assert "alleen een beheerder" in status_text(refused)
        assert corpus_files(corpus) == before and reindexed == []
        with httpx.Client(base_url=url, timeout=30) as local:
            added = raw_event(local, owner, "add", [upload(local, document)], "eigen-1")
    assert "Toegevoegd:** aanval.txt" in status_text(added)
    assert corpus_files(corpus) == before | {"aanval.txt"} and len(reindexed) == 1


def test_only_a_logged_in_administrator_changes_the_corpus(corpus_app):
    app, corpus, document, reindexed = corpus_app
    before = corpus_files(corpus)
    with running_app(app, auth=USERS) as url:
        with httpx.Client(base_url=url, timeout=30) as anonymous:
            assert upload(anonymous, document) == {"refused": 401}
            assert raw_event(anonymous, app, "add", [None], "anoniem") == {"refused": 401}
        with httpx.Client(base_url=url, timeout=30) as guest:
            assert guest.post("/login", data={"username": "gast", "password": "geheim-2"}).is_success
            added = raw_event(guest, app, "add", [upload(guest, document)], "gast-1")
            removed = raw_event(guest, app, "remove", ["regiodenken.txt"], "gast-1")
            assert "alleen een beheerder" in status_text(added)
            assert "alleen een beheerder" in status_text(removed)
            assert corpus_files(corpus) == before and reindexed == []
        with httpx.Client(base_url=url, timeout=30) as admin:
            assert admin.post("/login", data={"username": "beheer", "password": "geheim-1"}).is_success
            added = raw_event(admin, app, "add", [upload(admin, document)], "beheer-1")
    assert "Toegevoegd:** aanval.txt" in status_text(added)
    assert corpus_files(corpus) == before | {"aanval.txt"} and len(reindexed) == 1


def test_150_wrong_passwords_are_refused_after_the_first_few(corpus_app):
    app = corpus_app[0]
    with running_app(app, auth=USERS) as url, httpx.Client(base_url=url, timeout=30) as client:
        start = time.monotonic()
        codes = [client.post("/login", data={"username": "beheer", "password": f"fout-{i}"})
                 for i in range(150)]
        elapsed = time.monotonic() - start
        right = client.post("/login", data={"username": "beheer", "password": "geheim-1"})
    checked = [r for r in codes if r.status_code == 400]
    refused = [r for r in codes if r.status_code == 429]
    assert len(checked) + len(refused) == 150
    # Each password that was checked at all cost the client a growing wait: 1, 2, 4, … s.
    assert len(checked) <= FREE_ATTEMPTS + max(1, int(elapsed).bit_length()), (len(checked), elapsed)
    assert "Te veel mislukte inlogpogingen" in refused[-1].json()["detail"]
    assert refused[-1].headers["retry-after"].isdigit()
    assert right.status_code == 429, "while locked, not even the right password is tried"


def test_the_wait_doubles_per_attempt_per_name_and_address_and_a_success_clears_it():
    now = [0.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    pair = ("beheer", "10.0.0.1")
    for _ in range(FREE_ATTEMPTS):
        assert throttle.admit(pair) == 0
    assert throttle.admit(pair) == 1.0, "refused, and not counted"
    assert throttle.admit(("beheer", "10.0.0.2")) == 0 and throttle.admit(("gast", "10.0.0.1")) == 0
    now[0] += 1.0
    assert throttle.admit(pair) == 0
    assert throttle.wait(pair) == 2.0
    throttle.succeeded(pair)
    assert throttle.admit(pair) == 0


def test_rotating_x_forwarded_for_from_loopback_gains_nothing(corpus_app):
    app = corpus_app[0]
    with running_app(app, auth=USERS) as url, httpx.Client(base_url=url, timeout=30) as client:
        codes = [client.post("/login", data={"username": "beheer", "password": f"fout-{i}"},
                             headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
                 for i in range(40)]
    assert codes[:FREE_ATTEMPTS] == [400] * FREE_ATTEMPTS
    assert codes.count(429) >= 40 - FREE_ATTEMPTS - 2, codes


def test_a_burst_of_concurrent_attempts_gets_no_more_than_a_sequence(corpus_app):
    from concurrent.futures import ThreadPoolExecutor

    app = corpus_app[0]
    with running_app(app, auth=USERS) as url, httpx.Client(
            base_url=url, timeout=60, limits=httpx.Limits(max_connections=100)) as client:
        def attempt(i: int) -> int:
            return client.post("/login", data={"username": "beheer", "password": f"fout-{i}"}).status_code

        with ThreadPoolExecutor(max_workers=50) as pool:
            codes = list(pool.map(attempt, range(100)))
    assert codes.count(400) <= FREE_ATTEMPTS, sorted(codes)
    assert codes.count(429) >= 100 - FREE_ATTEMPTS


def test_someone_guessing_slows_only_their_own_name_and_address(corpus_app):
    app = corpus_app[0]
    with running_app(app, auth=USERS) as url:
        with httpx.Client(base_url=url, timeout=30) as guesser:  # from 127.0.0.1
            codes = [guesser.post("/login", data={"username": "beheer", "password": f"fout-{i}"})
                     .status_code for i in range(12)]
            assert codes[-1] == 429
            # the same address, another user: not slowed
            assert guesser.post("/login", data={"username": "gast", "password": "geheim-2"}).is_success
        owner = httpx.HTTPTransport(local_address="127.0.0.2")  # the owner, from elsewhere
        with httpx.Client(base_url=url, timeout=30, transport=owner) as client:
            assert client.post("/login", data={"username": "beheer", "password": "geheim-1"}).is_success


def test_x_forwarded_for_counts_only_from_a_configured_proxy(corpus_app, monkeypatch):
    monkeypatch.setenv("REGIOWIJZER_FORWARDED_ALLOW_IPS", "127.0.0.1")
    app = corpus_app[0]
    with running_app(app, auth=USERS) as url, httpx.Client(base_url=url, timeout=30) as proxy:
        def attempt(client_ip: str, password: str) -> int:
            return proxy.post("/login", data={"username": "beheer", "password": password},
                              headers={"X-Forwarded-For": client_ip}).status_code

        codes = [attempt("203.0.113.7", f"fout-{i}") for i in range(8)]
        assert codes[-1] == 429, codes
        assert attempt("198.51.100.9", "geheim-1") == 200, "another client behind the proxy"
