"""The extractive composer: sentences taken verbatim, cited, along the route map, in three modes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from assistant.compose.answer import ABSTAIN_TEXT, Answer, Citation, Point
from assistant.compose.checks import check_citations
from assistant.compose.evidence import Evidence, relevant_step_hits
from assistant.compose.extractive import compose_extractive
from assistant.compose.intent import definition_strength
from assistant.compose.kind import own_kind
from assistant.compose.select import Candidate, QueryTerm, mmr_select, relevance
from assistant.compose.sentences import occurs_in, passage_sentences, trim_sentence
from assistant.present.references import reference_line
from assistant.retrieval.hybrid import QuerySignals
from assistant.service import MAX_QUESTION_CHARS, QuestionError, clean_question
from ingest.index.corpusdata import load_routekaart

sys.path.insert(0, str(Path(__file__).parent))
from answer_helpers import corpus_assistant, hit, literal_context, passage  # noqa: E402

GRIP = "Hoe houdt de gemeenteraad grip op regionale samenwerking?"

# --- trimming and verbatim checks (pure) ---------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("• 'De gemeenteraad wordt daarin niet buitenspel gezet zoals sommigen beweren.' (p. 56)",
     "De gemeenteraad wordt daarin niet buitenspel gezet zoals sommigen beweren."),
    ("En beperk dit niet tot een eenmalige uitvraag voor die ene beleidsnota.",
     "En beperk dit niet tot een eenmalige uitvraag voor die ene beleidsnota."),
    ("Of het nu gaat om de zorg of om werk, de regio is de schaal.",
     "Of het nu gaat om de zorg of om werk, de regio is de schaal."),
    ("Het gaat om 'weefsel' tussen de partijen in de regio.",
     "Het gaat om 'weefsel' tussen de partijen in de regio."),
    ("[...] Dat betekent dat het gaat om een combinatie van feiten en een opgave.",
     "Dat betekent dat het gaat om een combinatie van feiten en een opgave."),
    ("Het  geldt\nook voor regio's   met veel weefsel.", "Het geldt ook voor regio's met veel weefsel."),
])
def test_trimming_only_removes_marks_at_the_edges_never_a_word(raw, expected):
    assert trim_sentence(raw) == expected
    assert occurs_in(expected, raw)


def test_a_too_long_sentence_is_left_out_not_cut_off():
    long = ("Werkgevers zijn voor hun personeelsvraag niet gebonden aan één gemeente, " +
            "en daarom " + "moeten gemeenten samen optrekken " * 12 + "in de regio.")
    assert trim_sentence(long, max_words=20) is None


def test_a_sentence_that_starts_mid_sentence_is_not_quoted():
    assert trim_sentence("het nu gaat om de zorg of om werk, de regio is de schaal.") is None


@pytest.mark.parametrize("junk", ["Figuur 1: vier typen overheidssturing", "Missing media-item.",
                                  "Te kort.", "", "Hoofdstuk 2. Een routekaart",
                                  "Zie ook de bijlage bij dit stuk.",
                                  "[...] dat het gaat om een combinatie van feiten en een opgave."])
def test_headings_captions_placeholders_and_fragments_are_not_quoted(junk):
    assert trim_sentence(junk) is None


def test_passage_sentences_handle_crlf_bullets_and_empty_text():
    text = "• Eerste punt over de regionale samenwerking hier.\r\n\r\n• Tweede punt: gemeenten werken samen."
    assert passage_sentences(text) == ["Eerste punt over de regionale samenwerking hier.",
                                       "Tweede punt: gemeenten werken samen."]
    assert passage_sentences("") == []


def test_occurs_in_accepts_trimming_but_not_rewording():
    source = "En zorg dat hier heldere afspraken over komen, ook met de andere partijen."
    assert occurs_in("zorg dat hier heldere afspraken over komen…", source)
    assert not occurs_in("Zorg dat er duidelijke afspraken over komen.", source)
    assert not occurs_in("", source)


# --- selection (pure) ---------------------------------------------------------------------------


def test_relevance_weighs_words_and_gives_compound_parts_half():
    terms = [QueryTerm("gemeenteraad", ("gemeente", "raad"), 2.0), QueryTerm("grip", (), 2.0)]
    assert relevance(terms, {"gemeenteraad", "grip"}) == 1.0
    assert relevance(terms, {"raad"}) == 0.25
    assert relevance(terms, set()) == 0.0
    assert relevance([], {"grip"}) == 0.0


def _cand(pid: str, text: str, rank: int = 1, position: int = 0) -> Candidate:
    return Candidate(text=text, passage=passage(pid, text), rank=rank, hit_score=0.0,
                     position=position, tokens=frozenset(text.lower().split()), prior=1.0)


def test_mmr_skips_near_duplicates_and_keeps_one_sentence_per_passage():
    a = _cand("a", "de raad houdt grip op de samenwerking")
    dup = _cand("b", "de raad houdt grip op de samenwerking nu")
    same_passage = _cand("a", "een heel andere zin over weefsel", position=1)
    other = _cand("c", "weefsel groeit met de tijd tussen partners", rank=2)
    chosen = mmr_select([(1.0, a), (0.9, dup), (0.8, same_passage), (0.5, other)], k=3)
    assert chosen == [a, other]


def test_mmr_breaks_ties_deterministically_by_rank_then_id():
    x, y = _cand("x", "eerste zin over netwerken", rank=2), _cand("y", "tweede zin over perspectief", rank=1)
    assert mmr_select([(0.5, x), (0.5, y)], k=1) == [y]
    assert mmr_select([(0.5, y), (0.5, x)], k=1) == [y]


# --- reading the question (pure) ----------------------------------------------------------------


@pytest.mark.parametrize("question, kind", [
    ("Wat is weefsel?", "definitie"), ("wat betekent een responsieve overheid", "definitie"),
    ("Welke tien regio's zijn onderzocht?", "lijst"), ("Hoeveel arbeidsmarktregio's zijn er?", "feit"),
    (GRIP, "aanpak"), ("Hoe maak ik een attractieve agenda?", "aanpak"),
])
def test_question_kind(question, kind):
    assert own_kind(question) == kind


def test_definition_strength():
    assert definition_strength("Weefsel vormt een verbindend begrip tussen mensen.", "weefsel") == 1.0
    assert definition_strength("Bij weefsel gaat het over vertrouwen.", "weefsel") == 1.0
    assert definition_strength("Dan het weefsel, de lastigste invalshoek.", "weefsel") == 0.4
    assert definition_strength("Structuur kan tot weefsel leiden.", "weefsel") == 0.0


# --- the composer on literal passages ------------------------------------------------------------

P_DEF = passage("def", "Weefsel vormt een verbindend begrip tussen handelende individuen en formele "
                "structuren. Het groeit met de tijd door gedeelde ervaringen.", block="stap", steps=[4])
P_ADVICE = passage("adv", "Investeer in het weefsel door informele ontmoetingen te organiseren tussen "
                   "de partners in de regio. Zo groeit vertrouwen.", block="handreiking", steps=[4],
                   wegwijzer=8)
P_STORY = passage("story", "In Agrifood Capital is het weefsel tussen de partners al decennia sterk "
                  "en dicht geweven.", block="verhaal", steps=[4], wegwijzer=7,
                  places=["Agrifood Capital Oost-Brabant"], speaker="Jack Mikkers, burgemeester")
P_OTHER = passage("other", "De provincie speelt een rol in het netwerk rond de arbeidsmarkt van de "
                  "regio en het weefsel daarbinnen.", steps=[2])
LITERAL = [P_DEF, P_ADVICE, P_STORY, P_OTHER]


def _literal_answer(question: str, mode: str = "vraag", confidence: float = 0.9) -> Answer:
    ctx = literal_context(LITERAL)
    hits = [hit(p, r) for r, p in enumerate(LITERAL, start=1)]
    evidence = Evidence(question=question, hits=hits, step_hits={s: [] for s in range(1, 6)},
                        confidence=confidence, signals=QuerySignals(coverage=1.0, lexical_top=2.0))
    return compose_extractive(evidence, mode, ctx)


def test_literal_answer_is_cited_verbatim_along_the_route_map():
    answer = _literal_answer("Hoe versterk je het weefsel tussen partners in de regio?")
    assert check_citations(answer) == []
    assert not answer.abstained and answer.summary
    assert [s.step for s in answer.steps] == [2, 4] or [s.step for s in answer.steps] == [4]
    assert answer.kind == "aanpak" and answer.silent_steps == []  # not a question about the whole route
    assert all(p.origin == "source" and p.citations for p in answer.summary)
    assert any("Agrifood Capital" in p.text for p in answer.examples)
    assert answer.meta["query"] == "Hoe versterk je het weefsel tussen partners in de regio?"


def test_literal_answer_is_deterministic():
    from assistant.present.markdown import to_markdown

    q = "Hoe versterk je het weefsel tussen partners in de regio?"
    assert to_markdown(_literal_answer(q)) == to_markdown(_literal_answer(q))


def test_low_confidence_abstains_with_nearest_passages():
    answer = _literal_answer("Wat is het recept voor appeltaart?", confidence=0.1)
    assert answer.abstained and answer.summary[0].text == ABSTAIN_TEXT
    assert answer.extras["misschien_relevant"] and check_citations(answer) == []
    assert answer.steps == [] and answer.examples == []


def test_a_thin_basis_answers_with_a_visible_caution():
    from assistant.compose.answer import WEAK_BASIS_TEXT
    from assistant.present.markdown import to_markdown
    from assistant.retrieval.confidence import ABSTAIN_BELOW, CAUTION_BELOW

    question = "Hoe versterk je het weefsel tussen partners in de regio?"
    thin = _literal_answer(question, confidence=(ABSTAIN_BELOW + CAUTION_BELOW) / 2)
    firm = _literal_answer(question, confidence=CAUTION_BELOW + 0.01)
    assert not thin.abstained and thin.summary and thin.weak_basis
    assert thin.notice == WEAK_BASIS_TEXT and WEAK_BASIS_TEXT in to_markdown(thin)
    assert to_markdown(thin).index(WEAK_BASIS_TEXT) < to_markdown(thin).index("Kort antwoord")
    assert not firm.weak_basis and firm.notice is None
    assert [p.text for p in thin.summary] == [p.text for p in firm.summary]


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="onbekende modus"):
        _literal_answer("Wat is weefsel?", mode="gedicht")


def test_check_citations_catches_dangling_numbers_and_reworded_quotes():
    p = passage("x", "Weefsel groeit met de tijd tussen de partners.")
    answer = _literal_answer("Wat is weefsel?")
    answer.citations = [Citation(n=1, passage=p, score=0.5)]
    answer.summary = [Point("Weefsel groeit met de tijd tussen de partners.", [1]),
                      Point("Weefsel groeit snel.", [1]), Point("Iets zonder bron.", []),
                      Point("Weefsel groeit met de tijd tussen de partners.", [7])]
    answer.steps, answer.examples, answer.extras = [], [], {}
    answer.prose = "Zie [9]."
    problems = check_citations(answer)
    assert any("niet letterlijk" in x for x in problems)
    assert any("zonder bronvermelding" in x for x in problems)
    assert any("[7]" in x for x in problems)
    assert any("[9]" in x for x in problems)
    assert len(problems) == 4


def test_relevant_step_hits_keep_main_ranking_hits_and_close_lexical_matches():
    main = [hit(P_DEF, 1, dense=0.8)]
    inside = hit(P_DEF, 1, dense=0.5, lexical=0.0)
    close = hit(P_ADVICE, 1, dense=0.75, lexical=1.0)
    far = hit(P_OTHER, 2, dense=0.4, lexical=1.0)
    no_words = hit(P_STORY, 3, dense=0.79, lexical=0.0)
    assert relevant_step_hits([inside, close, far, no_words], main) == [inside, close]


def test_questions_are_cleaned_refused_when_empty_and_shortened_when_huge():
    assert clean_question("  Wat is\nweefsel? ") == ("Wat is weefsel?", None)
    with pytest.raises(QuestionError, match="leeg"):
        clean_question("   \n\t")
    text, notice = clean_question("regionale samenwerking " * 1000)
    assert len(text) <= MAX_QUESTION_CHARS and "erg lang" in notice


# --- on the real corpus index ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def assistant(corpus_index, embedder):
    settings, _ = corpus_index
    return corpus_assistant(settings, embedder)


def test_grip_question_is_answered_verbatim_with_resolving_citations(assistant):
    answer = assistant.ask(GRIP)
    assert not answer.abstained
    assert check_citations(answer) == []
    assert 1 <= len(answer.summary) <= 3
    markdown = answer.meta["markdown"]
    assert "## Kort antwoord" in markdown and "## Bronnen" in markdown
    # steps only where there is evidence: each section's passages carry that step
    for section in answer.steps:
        assert section.points
        for point in section.points:
            assert any(section.step in answer.citation(n).passage.steps for n in point.citations)
    # an approach question walks the route map, but only the steps with evidence, and no
    # line about the silent ones (it is not a question about the whole route)
    assert answer.kind == "aanpak" and 1 <= len(answer.steps) <= 3 and answer.silent_steps == []
    assert "zeggen de bronnen niets" not in markdown and "hierboven" not in markdown
    questions = answer.extras.get("raadsvragen", [])
    assert len(questions) <= 2
    assert all("{onderwerp}" not in q.text for q in questions)


def test_same_question_gives_the_same_answer(assistant):
    assert assistant.ask(GRIP).meta["markdown"] == assistant.ask(GRIP).meta["markdown"]


def test_out_of_corpus_question_abstains(assistant):
    answer = assistant.ask("Wat is het recept voor appeltaart?")
    assert answer.abstained
    assert ABSTAIN_TEXT in answer.meta["markdown"]
    assert "Misschien relevant" in answer.meta["markdown"]
    assert check_citations(answer) == []


def test_definition_question_stays_light(assistant):
    answer = assistant.ask("Wat is weefsel?")
    assert not answer.abstained and answer.shape == "light"
    assert "eefsel" in answer.summary[0].text
    assert answer.silent_steps == []
    assert check_citations(answer) == []


def test_notitie_has_four_parts_and_full_references(assistant):
    answer = assistant.ask(GRIP, mode="notitie")
    md = answer.meta["markdown"]
    for heading in ("## Aanleiding", "## Kern", "## Handelingsopties", "## Bronnen"):
        assert heading in md
    kern = [*answer.summary, *answer.extras.get("kern", [])]
    assert 2 <= len(kern) <= 5 and all(p.origin == "source" and p.citations for p in kern)
    assert len(md.split("## Bronnen")[0].split()) <= 700, "a first draft, not pages of quotes"
    assert check_citations(answer) == []
    report = next(c for c in answer.citations if c.passage.doc_id == "vng-denktank-jaarbericht-2018")
    line = reference_line(report)
    assert "Werkende samenwerking" in line and "VNG" in line and "2018" in line
    assert report.author and report.year == 2018


def test_gespreksvragen_worksheet_has_questions_tied_to_quotes_a_stelling_and_an_exercise(assistant):
    answer = assistant.ask("Hoe bouw je vertrouwen op tussen partners in de regio?", mode="gespreksvragen")
    assert check_citations(answer) == []
    routekaart = load_routekaart()
    per_step = {k: v for k, v in answer.extras.items() if k.startswith("gespreksvragen:")}
    assert per_step
    for questions in per_step.values():
        assert 2 <= len(questions) <= 3, "two or three discussion questions per step"
        for q in questions:
            assert not q.quote or q.citations  # a quote a question is tied to is cited
    assert answer.extras["stelling"][0].text in routekaart.stellingen
    assert answer.extras["oefening"][0].text in {o.titel for o in routekaart.oefeningen}
    md = answer.meta["markdown"]
    assert "## Stelling om over te debatteren" in md and "## Oefening" in md


def test_follow_up_about_a_step_focuses_that_step(assistant):
    answer = assistant.ask("hoe zit dat in stap 3?", history=[GRIP])
    assert answer.focus_step == 3
    assert "grip" in answer.meta["query"]
    assert [s.step for s in answer.steps] == [3], "the focused step, filled from evidence"
    assert all(3 in answer.citation(n).passage.steps for p in answer.steps[0].points for n in p.citations)
    assert check_citations(answer) == []


def test_huge_question_is_answered_with_a_notice(assistant):
    answer = assistant.ask("Hoe houdt de raad grip op regionale samenwerking? " * 400)
    assert answer.notice and "erg lang" in answer.notice
    assert check_citations(answer) == []


def test_empty_question_gives_a_dutch_error(assistant):
    with pytest.raises(QuestionError, match="vraag is leeg"):
        assistant.ask("   ")


def test_a_list_question_gets_the_whole_list_of_the_passage_that_answers():
    listing = passage("list", "Partijen verschillen in hoe ze samenwerken. De drie vormen van regionale "
                      "samenwerking zijn:\n• een netwerk van wethouders\n• een gemeenschappelijke "
                      "regeling\n• een economic board met werkgevers", block="stap", steps=[2])
    ctx = literal_context([listing, P_OTHER])
    hits = [hit(listing, 1), hit(P_OTHER, 2)]
    evidence = Evidence(question="Welke drie vormen van regionale samenwerking zijn er?", hits=hits,
                        step_hits={s: [] for s in range(1, 6)}, confidence=0.9,
                        signals=QuerySignals(coverage=1.0, lexical_top=2.0))
    answer = compose_extractive(evidence, "vraag", ctx)
    assert answer.kind == "lijst"
    lead = [p.text for p in answer.summary]
    assert lead == ["De drie vormen van regionale samenwerking zijn:", "een netwerk van wethouders",
                    "een gemeenschappelijke regeling", "een economic board met werkgevers"]
    assert check_citations(answer) == []


def test_a_note_point_that_repeats_one_sentence_of_the_lead_is_a_repeat():
    from assistant.compose.modes import shares_a_sentence

    lead = ["Succesvolle samenwerking vereist rekenschap. Zo geldt steeds dat elke keuze iets vraagt."]
    again = "Met de keuze zijn de andere kwadranten niet weg. Succesvolle samenwerking vereist rekenschap."
    assert shares_a_sentence(again, lead)
    assert not shares_a_sentence("Een netwerkende overheid zoekt aansluiting bij de samenleving.", lead)


def test_a_note_without_handreiking_says_its_advice_is_in_the_kern():
    advice = passage("adv2", "Investeer in het weefsel door informele ontmoetingen tussen de partners in "
                     "de regio te organiseren.", block="stap", steps=[4])
    ctx = literal_context([advice, P_OTHER])
    evidence = Evidence(question="Hoe versterk je het weefsel tussen de partners?",
                        hits=[hit(advice, 1), hit(P_OTHER, 2)], step_hits={s: [] for s in range(1, 6)},
                        confidence=0.9, signals=QuerySignals(coverage=1.0, lexical_top=2.0))
    note = compose_extractive(evidence, "notitie", ctx)
    assert note.summary and note.summary[0].text.startswith("Investeer in het weefsel")
    assert [p.text for p in note.extras["handelingsopties"]] == [
        "De bronnen geven bij deze vraag geen handelingsadvies naast de punten van de Kern."]
