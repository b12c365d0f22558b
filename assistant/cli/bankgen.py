"""`regiowijzer ingest --vragen`: candidate bank questions for the passages the bank does not cover,
by the configured language model, into a folder a person reviews (assistant.compose.llm.questions)."""

from __future__ import annotations

import sys

from ingest.config import Settings

NO_MODEL = ("Vragen maken kan alleen met een taalmodel (stel REGIOWIJZER_LLM=ollama of openai in); "
            "er zijn geen vragen gemaakt.")


def write_candidate_questions(settings: Settings) -> int:
    """0 when done (also when nothing needed questions); 2 with a Dutch reason otherwise."""
    from assistant.compose.llm.backends import make_llm
    from assistant.compose.llm.errors import LLMUnavailable
    from assistant.compose.llm.questions import generate, pending_entries, uncovered, write_candidates
    from assistant.compose.llm.settings import load_llm_settings
    from ingest.index.reader import IndexUnavailable, open_index

    llm_settings = load_llm_settings()
    if not llm_settings.enabled:
        print(f"Fout: {NO_MODEL}", file=sys.stderr)
        return 2
    try:
        index = open_index(settings)
    except IndexUnavailable as err:
        print(f"Fout: {err}", file=sys.stderr)
        return 2
    covered = {r.passage_id for r in index.bank.rows} if index.bank is not None else set()
    targets = uncovered(index.passages, covered, pending_entries(settings.corpus_dir))
    if not targets:
        print("Vragenbank: elke passage heeft al vragen; er is niets te maken.")
        return 0
    try:
        entries, dropped = generate(make_llm(llm_settings), targets)
    except LLMUnavailable as err:
        print(f"Fout: {err.reason}; er zijn geen vragen geschreven.", file=sys.stderr)
        return 2
    files = write_candidates(settings.corpus_dir, entries)
    where = files[0].parent if files else "(geen bestand)"
    print(f"Vragenbank: {len(entries)} kandidaatvragen voor {len(targets)} passages in {where}, "
          f"gemarkeerd als gegenereerd ({dropped} weggelaten: hun citaat stond niet letterlijk in "
          "de passage). Ze tellen pas mee als u ze nakijkt en naar de map vragenbank verplaatst.")
    return 0
