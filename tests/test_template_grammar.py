"""Every route-map question template reads grammatically once its {onderwerp} is filled, for
well over a hundred real questions (the eval questions; the question bank's too when present)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from assistant.compose.modes import fill, usable
from assistant.compose.topic import question_topic
from ingest.index.corpusdata import load_routekaart

ROOT = Path(__file__).resolve().parents[1]


def _questions() -> list[str]:
    questions = [json.loads(line)["text"] for line in
                 (ROOT / "evals" / "data" / "queries.jsonl").read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    for bank in sorted((ROOT / "corpus" / "vragenbank").glob("*.jsonl")):
        questions += [json.loads(line)["question"] for line in bank.read_text(encoding="utf-8").splitlines()
                      if line.strip()]
    return questions


def _problems(text: str) -> list[str]:
    problems = []
    if "{" in text or "}" in text:
        problems.append("placeholder left")
    if re.search(r"\b(\w+) \1\b(?!-)", text, re.IGNORECASE):  # "van van-werk-naar-werk" is fine
        problems.append("word doubled")
    if re.search(r"\bopgave\b.*\b(?:rond|van|over) deze opgave\b", text):
        problems.append("opgave rond deze opgave")
    if not text[:1].isupper() or not text.rstrip().endswith("?"):
        problems.append("not a question sentence")
    if re.search(r"\b(?:aan|rond|over|van|bij|voor|met) (?:aan|rond|over|van|bij|voor|met)\b(?!-)", text):
        problems.append("two prepositions")
    return problems


def test_templates_read_well_for_a_hundred_questions():
    questions = _questions()
    assert len(questions) >= 100
    routekaart = load_routekaart()
    templates = [t for s in routekaart.stappen for t in (*s.gespreksvragen, *s.raadsvragen)]
    bad = []
    for q in questions:
        topic = question_topic(q)
        for t in templates:
            if not usable(t, topic):
                continue
            filled = fill(t, topic)
            for problem in _problems(filled):
                bad.append(f"{problem}: {filled} (from: {q})")
    assert not bad, "\n".join(bad[:20])
