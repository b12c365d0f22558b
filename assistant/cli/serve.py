"""`regiowijzer serve`: open the index (building it first when there is none or it is stale),
pick the answer composer, then hand the assistant to the app, which only serves it."""

from __future__ import annotations

import sys
from collections.abc import Callable

from ingest.config import Settings


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def open_or_build(settings: Settings, say: Callable[[str], None] = _say):
    """The assistant over the index, building the index first (with progress) when needed."""
    from assistant.service import Assistant
    from ingest.build import ingest
    from ingest.corpusfiles import printable
    from ingest.index.embedders import make_embedder
    from ingest.index.reader import IndexUnavailable

    embedder = make_embedder(settings)
    try:
        return Assistant.from_settings(settings, embedder=embedder)
    except IndexUnavailable as err:
        from assistant.cli.main import first_build_notice

        say(f"{err}\n{first_build_notice(settings) or 'De index wordt nu gebouwd; dit duurt even.'}")
    report = ingest(settings, progress=True, embedder=embedder, say=say,
                    wait=settings.ingest_wait_s)  # another ingest may be building it right now
    for name, reason in report.skipped:
        say(f"Overgeslagen: {printable(name)}: {printable(reason)}")
    say(f"Index gebouwd: {report.passages} passages.")
    return Assistant.from_settings(settings, embedder=embedder)


def use_configured_llm(assistant) -> str | None:
    """Let the language model named by REGIOWIJZER_LLM write the answers, as `ask --llm` does;
    return the notice when it cannot (the answers are then extractive)."""
    from assistant.compose.composer import make_composer

    assistant.composer, notice = make_composer()
    return notice


def serve(settings: Settings, host: str, port: int, auth: str | None,
          forwarded_allow_ips: str | None = None) -> None:
    from assistant.app.memory import limit_malloc_arenas
    from assistant.app.ui import launch

    limit_malloc_arenas()  # first: before the model and the server start their threads
    assistant = open_or_build(settings)
    notice = use_configured_llm(assistant)
    assistant.warm_up()
    launch(assistant, settings, host=host, port=port, auth=auth, notice=notice,
           forwarded_allow_ips=forwarded_allow_ips)
