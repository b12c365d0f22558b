"""Passage cutting and structure recognition on literal inputs."""

from ingest.model import Paragraph, Section
from ingest.passages import DocumentInfo, make_passages, pack, passage_id, research_pages
from ingest.structure import RouteMapNames, detect_structure, is_heading

NAMES = RouteMapNames(
    steps={1: "Definieer het vraagstuk", 2: "Bepaal in welk netwerk de opgave speelt",
           3: "Kies het perspectief", 4: "Investeer in gedeeld denken", 5: "Borg en verbind"},
    wegwijzers={1: "Laat de feiten spreken", 2: "Definieer samen de opgave",
                10: "Geef het voorbeeld"},
    step_of_wegwijzer={1: 1, 2: 1, 10: 5},
)
INFO = DocumentInfo(doc_id="doc", title="Titel", kind="rapport")


def sentence(i: int, words: int = 20) -> str:
    return " ".join([f"woord{i}"] * (words - 1)) + " einde."


def test_pack_keeps_passages_between_limits_and_never_cuts_a_sentence():
    units = [(sentence(i), 3, i % 3 == 0) for i in range(12)]  # 240 words
    chunks = pack(units)
    # Past the target, a passage ends at the next paragraph start (units 0, 3, 6, 9).
    assert [len(text.split()) for text, _, _ in chunks] == [120, 120]
    for text, page, _ in chunks:
        assert page == 3
        assert text.rstrip().endswith("einde.")


def test_a_short_tail_joins_the_previous_passage_and_pages_span_breaks():
    units = [(sentence(1, 90), 4, True), (sentence(2, 30), 5, True)]
    assert pack(units) == [(sentence(1, 90) + "\n\n" + sentence(2, 30), 4, 5)]


def test_an_overlong_single_sentence_stays_whole():
    long = sentence(1, 200)
    assert pack([(long, None, True)]) == [(long, None, None)]


def test_ids_are_stable_and_derived_from_content():
    assert passage_id("doc", "Een  tekst.\n") == passage_id("doc", "Een tekst.")
    assert passage_id("doc", "Een tekst.") != passage_id("doc", "Een andere tekst.")
    assert passage_id("a", "x").startswith("a:")


def test_research_page_references():
    text = "'... een quote.' (p.180) En nog een. (p. 184, 185) en (p. 18,19)"
    assert research_pages(text) == ["180", "184, 185", "18,19"]


def test_passages_never_cross_sections_and_link_neighbours():
    sections = [Section(path=["A"], paragraphs=[Paragraph(sentence(1, 70), 1)]),
                Section(path=["B"], paragraphs=[Paragraph(sentence(2, 70), 2)], steps=[4])]
    passages = make_passages(sections, INFO, lambda text: [2], lambda text: [])
    assert [p.section for p in passages] == ["A", "B"]
    assert passages[0].steps == [2] and passages[0].steps_inferred
    assert passages[1].steps == [4] and not passages[1].steps_inferred
    assert passages[0].next_id == passages[1].id and passages[1].prev_id == passages[0].id


def test_heading_shape():
    assert is_heading("Regionale samenwerking is niet nieuw")
    assert is_heading("a. De rechtmatige overheid")
    assert not is_heading("Dit is een zin.")
    assert not is_heading("• Een heldere structuur van de samenwerking biedt houvast")


def paras(*texts: str) -> list[Paragraph]:
    return [Paragraph(t, None) for t in texts]


def test_report_blocks_become_wegwijzer_sections_with_speaker_and_topic():
    sections = detect_structure(paras(
        "Een verhaal", "DOE RECHT AAN WAT ER IS", "Fred Paling, voorzitter Raad van Bestuur UWV",
        "'In de vorige raadsperiode vertelde een wethouder me iets.'",
        "Uit het onderzoek", "(over het belang van feiten en data)", "• 'Een citaat.' (p.180)",
        "Een handreiking", "Soms denk je al een beeld te hebben.",
        "Twee verhalen", "HOE PAKKEN WE DE VRAAG VAN MORGEN OP?", "Pierre Heijnen, ROC",
        "Ik herinner me de tekorten.", "Een handreiking", "Zoek samen een opgave.",
        "10 Geef het voorbeeld", "Een verhaal", "BRUGGEN BOUW JE SAMEN", "Anneke Knol",
        "Bruggen bouw je samen.",
    ), NAMES)
    summary = [(s.wegwijzer, s.block, s.steps, s.speaker) for s in sections]
    assert summary == [
        (1, "verhaal", [1], "Fred Paling, voorzitter Raad van Bestuur UWV"),
        (1, "onderzoek", [1], None),
        (1, "handreiking", [1], None),
        (2, "verhaal", [1], "Pierre Heijnen, ROC"),
        (2, "handreiking", [1], None),
        (10, "verhaal", [5], "Anneke Knol"),
    ]
    assert sections[0].path[-1] == "Een verhaal: DOE RECHT AAN WAT ER IS"
    assert sections[1].path[-1] == "over het belang van feiten en data"
    assert all("Fred Paling" not in p.text for s in sections for p in s.paragraphs)


def test_route_map_steps_and_quadrant_but_not_a_list_of_steps():
    sections = detect_structure(paras(
        "Vijf onderdelen", "De routekaart kent vijf punten.",
        "1. Definieer het vraagstuk", "2. Bepaal in welk netwerk de opgave speelt",
        "Hierna volgt de toelichting.",
        "3. Kies het perspectief", "Een kwadrantenmodel helpt.",
        "a. De rechtmatige overheid", "Het gaat om rechtmatig handelen.",
        "Tien wegwijzers", "Tekst over wegwijzers.",
    ), NAMES)
    summary = [(s.path[-1], s.block, s.steps) for s in sections]
    assert summary == [
        ("Vijf onderdelen", "tekst", []),
        ("3. Kies het perspectief", "stap", [3]),
        ("a. De rechtmatige overheid", "perspectief", [3]),
        ("Tien wegwijzers", "tekst", []),
    ]
    assert "1. Definieer het vraagstuk" in sections[0].paragraphs[1].text
