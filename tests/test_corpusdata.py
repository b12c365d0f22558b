"""The editable corpus data (bronnen, routekaart, begrippen, plaatsen) loads, agrees with the
documents, and broken files fail with a Dutch message that names the file, the entry and the field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from seed import pristine_corpus

from assistant.cli.main import main
from ingest.index.corpusdata import (
    GLOSSARY_FILE,
    MANIFEST_FILE,
    PLACES_FILE,
    REPO_CORPUS_DIR,
    ROUTEKAART_FILE,
    CorpusDataError,
    default_source_info,
    find_data_file,
    load_glossary,
    load_manifest,
    load_places,
    load_routekaart,
    source_info_for,
)

CORPUS = pristine_corpus()
REPORT = CORPUS / "vng-denktank-jaarbericht-2018.txt"
DOCUMENT_KINDS = {"rapport", "handreiking", "casus", "artikel"}


def collapse(text: str) -> str:
    return " ".join(text.split())


def squash(text: str) -> str:
    """Lowercase letters and digits only, so 'onder-\\nwijs' and 'geograf ische' still match."""
    return re.sub(r"[\W_]+", "", text.casefold())


@pytest.fixture(scope="module")
def report_text() -> str:
    return collapse(REPORT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus_squashed() -> str:
    return "|".join(squash(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt")))


@pytest.fixture(scope="module")
def routekaart():
    return load_routekaart(CORPUS / ROUTEKAART_FILE)


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(CORPUS / GLOSSARY_FILE)


# --- the real files ---------------------------------------------------------------------------


def test_manifest_describes_every_document_once():
    manifest = load_manifest(CORPUS)
    assert set(manifest) == {p.name for p in CORPUS.glob("*.txt")}
    ids = [info.id for info in manifest.values()]
    assert len(ids) == len(set(ids))
    for name, info in manifest.items():
        assert (CORPUS / name).is_file()
        assert info.file == name
        assert info.id == Path(name).stem
        assert info.kind in DOCUMENT_KINDS
        assert info.language == "nl"
        assert info.title and info.description
        assert info.year is None or 1990 <= info.year <= 2030


def test_manifest_entry_of_the_report():
    info = load_manifest(CORPUS)["vng-denktank-jaarbericht-2018.txt"]
    assert info.id == "vng-denktank-jaarbericht-2018"
    assert info.title == "Werkende samenwerking. Jaarbericht 4e VNG Denktank"
    assert (info.kind, info.year, info.year_note) == ("rapport", 2018, None)
    assert "VNG" in info.author


def test_triple_helix_is_an_article_about_brainport():
    info = load_manifest(CORPUS)["triple-helix-regionale-werkzekerheid.txt"]
    assert info.kind == "artikel"
    assert "Brainport" in info.description


def test_five_steps_with_the_reports_titles(routekaart, report_text):
    titles = [s.titel for s in routekaart.stappen]
    assert titles == [
        "Definieer het vraagstuk",
        "Bepaal in welk netwerk de opgave speelt",
        "Kies het perspectief",
        "Investeer in gedeeld denken",
        "Borg en verbind",
    ]
    assert [s.nummer for s in routekaart.stappen] == [1, 2, 3, 4, 5]
    for title in titles:
        assert title in report_text


def test_ten_wegwijzers_each_on_an_existing_step(routekaart, report_text):
    assert [w.nummer for w in routekaart.wegwijzers] == list(range(1, 11))
    step_numbers = {s.nummer for s in routekaart.stappen}
    for w in routekaart.wegwijzers:
        assert w.stap in step_numbers
        assert w.titel in report_text
        assert w.nummer in routekaart.step(w.stap).wegwijzers
    for step in routekaart.stappen:
        assert step.wegwijzers, f"stap {step.nummer} heeft geen wegwijzer"
    assert routekaart.wegwijzer(6).titel == "Legitimeer wat je doet"
    assert [routekaart.step_of_wegwijzer(n) for n in range(1, 11)] == [1, 1, 1, 2, 3, 3, 4, 4, 5, 5]


def test_unknown_numbers_raise_key_error(routekaart):
    with pytest.raises(KeyError):
        routekaart.wegwijzer(11)
    with pytest.raises(KeyError):
        routekaart.step(0)


def test_every_story_speaker_title_and_role_occurs_verbatim_in_the_report(routekaart, report_text):
    stories = [v for w in routekaart.wegwijzers for v in w.verhalen]
    assert len(stories) == 12
    for story in stories:
        assert collapse(story.spreker) in report_text, story.spreker
        assert collapse(story.titel) in report_text, story.titel
        if story.functie:
            assert collapse(story.functie) in report_text, story.functie
    assert [v.spreker for v in routekaart.wegwijzer(2).verhalen] == [
        "Pierre Heijnen",
        "Bert Mooren",
    ]


def test_research_topics_are_the_reports_own_lines(routekaart, report_text):
    for w in routekaart.wegwijzers:
        assert w.onderzoek_onderwerp, f"wegwijzer {w.nummer} mist onderzoek_onderwerp"
        assert f"({w.onderzoek_onderwerp}" in report_text, w.onderzoek_onderwerp


def test_perspectives_are_named_in_the_report(routekaart, report_text):
    names = [p.naam for p in routekaart.perspectieven]
    assert names == [
        "rechtmatige overheid",
        "presterende overheid",
        "netwerkende overheid",
        "responsieve overheid",
    ]
    for name in names:
        assert name in report_text.lower()
    by_name = {p.naam: p for p in routekaart.perspectieven}
    assert by_name["responsieve overheid"].kwadrant == "rechtsonder"
    assert by_name["presterende overheid"].kernwaarde == "doelmatigheid"
    assert {p.zijde for p in routekaart.perspectieven} == {"links", "rechts"}


def test_cue_words_are_lowercase_and_unique(routekaart):
    lists = [s.kernwoorden for s in routekaart.stappen]
    lists += [w.kernwoorden for w in routekaart.wegwijzers]
    lists += [p.kernwoorden for p in routekaart.perspectieven]
    for words in lists:
        assert words
        assert all(w == w.lower() and w.strip() == w for w in words)
        assert len(words) == len(set(words))


def test_most_cue_words_occur_in_the_corpus(routekaart, corpus_squashed):
    """Cue words mix the corpus's own vocabulary with how users put it; most must be the former."""
    groups = [*routekaart.stappen, *routekaart.wegwijzers, *routekaart.perspectieven]
    for group in groups:
        found = [w for w in group.kernwoorden if squash(w) in corpus_squashed]
        assert len(found) >= 0.7 * len(group.kernwoorden), set(group.kernwoorden) - set(found)


def test_question_templates_render_with_only_onderwerp(routekaart):
    for step in routekaart.stappen:
        assert step.gespreksvragen and step.raadsvragen
        for template in step.gespreksvragen + step.raadsvragen:
            rendered = template.format(onderwerp="de krapte in de zorg")
            assert "{" not in rendered and "}" not in rendered


def test_the_ten_studied_regions_are_listed(routekaart):
    studied = {r.naam for r in routekaart.regios if r.onderzocht}
    assert studied == {
        "Cleantech Oost-Nederland",
        "Dairy Valley Friesland",
        "Haaglanden",
        "Agrifood Capital Oost-Brabant",
        "Rijnmond",
        "Seed Valley Noord-Holland",
        "Economic Board Utrecht",
        "Hart van West-Brabant",
        "Aan de Slag Zeeland",
        "regio Zwolle",
    }


def test_regions_occur_in_the_corpus_and_carry_user_aliases(routekaart, corpus_squashed):
    for region in routekaart.regios:
        assert any(squash(n) in corpus_squashed for n in region.namen), region.naam
    aliases = {r.naam: set(r.aliassen) for r in routekaart.regios}
    assert "Eindhoven" in aliases["Brainport Eindhoven"]
    assert {"Den Bosch", "'s-Hertogenbosch", "Noordoost-Brabant"} <= aliases[
        "Agrifood Capital Oost-Brabant"
    ]
    assert {"Friesland", "zuivel"} <= aliases["Dairy Valley Friesland"]
    assert {"Rotterdam", "Rotterdamse haven"} <= aliases["Rijnmond"]


def test_exercises_and_statements_are_present(routekaart):
    assert 2 <= len(routekaart.oefeningen) <= 3
    assert any("weefsel" in o.instructie for o in routekaart.oefeningen)
    assert 5 <= len(routekaart.stellingen) <= 8
    assert "Regionale samenwerking groeit niet door omvang, maar door goede relaties." in (
        routekaart.stellingen
    )


def test_glossary_terms_are_unique_and_have_synonyms(glossary):
    assert len(glossary) >= 60
    terms = [e.term.casefold() for e in glossary]
    assert len(terms) == len(set(terms))
    for entry in glossary:
        assert entry.synoniemen, entry.term
        assert all(s == s.lower() for s in entry.synoniemen)
        assert entry.term.lower() not in entry.synoniemen


def test_glossary_terms_come_from_the_corpus(glossary, corpus_squashed):
    missing = [e.term for e in glossary if squash(e.term) not in corpus_squashed]
    assert not missing


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("technisch personeel", {"technici", "techneuten", "technische vakmensen", "monteurs"}),
        ("meetbare resultaten", {"kpi", "kpi's", "targets", "prestatie-indicatoren", "output"}),
        ("werknemersorganisaties", {"vakbond", "vakbonden", "fnv", "cnv"}),
        ("Dairy Valley", {"zuivel", "melk", "zuivelregio", "friesland"}),
        ("horeca", {"restaurants", "hotels", "cafés"}),
        ("gemeenteraad", {"raadslid", "raadsleden", "de raad", "volksvertegenwoordiging"}),
        ("wethouder", {"college", "portefeuillehouder", "bestuurder"}),
        ("werkgeversdienstverlening", {"werkgeversservicepunt", "wsp", "accountmanagers"}),
        ("weefsel", {"vertrouwen", "onderlinge relaties", "cultuur", "chemie"}),
        ("democratische legitimiteit", {"verantwoording", "controle", "grip", "zeggenschap"}),
        ("kwadrantenmodel", {"vier perspectieven", "sturingsstijl", "rol van de overheid"}),
        ("attractieve agenda", {"gedeelde opgave", "gezamenlijke ambitie"}),
        ("arbeidsmarktregio", {"regio werk en inkomen", "rmt", "regionaal werkbedrijf"}),
        ("Brainport", {"eindhoven"}),
        ("Agrifood Capital", {"den bosch", "noordoost-brabant", "voedsel", "landbouw"}),
        ("mismatch", {"tekort", "krapte", "vacatures niet vervuld"}),
        ("granieten bestand", {"langdurig werklozen", "bijstand", "afstand tot de arbeidsmarkt"}),
        ("leren", {"evalueren", "reflectie", "fouten maken"}),
        ("Triple Helix", {"overheid onderwijs ondernemers", "drie o's"}),
    ],
)
def test_glossary_has_the_agreed_synonyms(glossary, term, expected):
    by_term = {e.term: set(e.synoniemen) for e in glossary}
    assert expected <= by_term[term]


def test_glossary_has_no_synonyms_that_would_flood_search(glossary):
    generic = {
        "werk",
        "regio",
        "regio's",
        "gemeente",
        "gemeenten",
        "samenwerking",
        "overheid",
        "mensen",
        "partijen",
        "beleid",
        "arbeidsmarkt",
        "economie",
        "onderwijs",
    }
    flooding = {s for e in glossary for s in e.synoniemen if s in generic or len(s) < 2}
    assert not flooding


# --- manifest-less files and default paths ----------------------------------------------------


def test_missing_manifest_means_no_manifest(tmp_path):
    assert load_manifest(tmp_path) == {}


def test_file_without_manifest_entry_gets_defaults(tmp_path):
    info = default_source_info(tmp_path / "Regionale_Agenda 2019.pdf", None)
    assert info.id == "regionale-agenda-2019-pdf"
    assert info.title == "Regionale Agenda 2019"
    assert (info.kind, info.year, info.author, info.source) == ("document", None, None, None)
    assert info.file == "Regionale_Agenda 2019.pdf"
    hinted = default_source_info(tmp_path / "x.pdf", "  Een eigen titel ")
    assert hinted.title == "Een eigen titel"
    manifest = load_manifest(CORPUS)
    assert source_info_for(CORPUS / "regiodenken.txt", manifest).title == "Regiodenken"
    assert source_info_for(tmp_path / "nieuw.docx", manifest).kind == "document"


def test_find_data_file_prefers_the_users_copy(tmp_path):
    assert find_data_file(tmp_path, ROUTEKAART_FILE) == REPO_CORPUS_DIR / ROUTEKAART_FILE
    own = tmp_path / GLOSSARY_FILE
    own.write_text('[[begrip]]\nterm = "x"\nsynoniemen = ["y"]\n', encoding="utf-8")
    assert find_data_file(tmp_path, GLOSSARY_FILE) == own
    assert load_glossary(own)[0].synoniemen == ("y",)
    with pytest.raises(CorpusDataError, match="bestaat-niet.toml niet gevonden"):
        find_data_file(tmp_path, "bestaat-niet.toml")


# --- broken files -----------------------------------------------------------------------------

MINIMAL_ROUTEKAART = """
[[stap]]
nummer = 1
titel = "Definieer het vraagstuk"
omschrijving = "Samen het vraagstuk bepalen."
kernwoorden = ["Vraagstuk", "opgave"]
wegwijzers = [1]
gespreksvragen = ["Wat weten we over {onderwerp}?"]

[[wegwijzer]]
nummer = 1
titel = "Laat de feiten spreken"
stap = 1
omschrijving = "Leg je beeld naast de feiten."
kernwoorden = ["feiten"]
verhalen = [{ titel = "DOE RECHT AAN WAT ER IS", spreker = "Fred Paling" }]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_routekaart_loads(tmp_path):
    kaart = load_routekaart(write(tmp_path, ROUTEKAART_FILE, MINIMAL_ROUTEKAART))
    assert kaart.step(1).kernwoorden == ("vraagstuk", "opgave")
    assert kaart.wegwijzer(1).verhalen[0].spreker == "Fred Paling"
    assert kaart.regios == () and kaart.stellingen == ()


def test_toml_syntax_error_names_file_and_line(tmp_path):
    path = write(tmp_path, ROUTEKAART_FILE, '[[stap]]\nnummer = 1\ntitel = "open\n')
    with pytest.raises(CorpusDataError) as caught:
        load_routekaart(path)
    message = str(caught.value)
    assert str(path) in message
    assert "TOML-syntaxfout op regel 3" in message
    assert caught.value.path == path


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('titel = "Laat de feiten spreken"\n', "", "veld 'titel' ontbreekt"),
        (
            "stap = 1\n",
            "stap = 7\n",
            "wegwijzer 1 verwijst naar stap 7, maar die stap bestaat niet",
        ),
        ("wegwijzers = [1]", "wegwijzers = [1, 2]", "stap 1 noemt wegwijzers [1, 2]"),
        ("{onderwerp}", "{regio}", "onbekende plaatshouder {regio}"),
        (
            'nummer = 1\ntitel = "Laat',
            'nummer = 1\ntitl = "x"\ntitel = "Laat',
            "onbekende sleutel 'titl'",
        ),
        ('kernwoorden = ["feiten"]', 'kernwoorden = "feiten"', "'kernwoorden' moet een lijst"),
    ],
)
def test_inconsistent_routekaart_is_refused(tmp_path, old, new, problem):
    assert old in MINIMAL_ROUTEKAART
    path = write(tmp_path, ROUTEKAART_FILE, MINIMAL_ROUTEKAART.replace(old, new, 1))
    with pytest.raises(CorpusDataError) as caught:
        load_routekaart(path)
    assert problem in str(caught.value)
    assert str(path) in str(caught.value)


def test_duplicate_numbers_are_refused(tmp_path):
    second = MINIMAL_ROUTEKAART.split("[[wegwijzer]]")[1].replace('"Laat', '"Nog een')
    path = write(tmp_path, ROUTEKAART_FILE, MINIMAL_ROUTEKAART + "\n[[wegwijzer]]" + second)
    with pytest.raises(CorpusDataError, match="wegwijzernummer '1' komt meer dan één keer voor"):
        load_routekaart(path)


def test_region_alias_may_belong_to_one_region_only(tmp_path):
    regions = (
        '\n[[regio]]\nnaam = "Rijnmond"\naliassen = ["Rotterdam"]\n'
        '\n[[regio]]\nnaam = "Metropoolregio"\naliassen = ["rotterdam"]\n'
    )
    path = write(tmp_path, ROUTEKAART_FILE, MINIMAL_ROUTEKAART + regions)
    with pytest.raises(CorpusDataError, match="regionaam of alias 'rotterdam'"):
        load_routekaart(path)


MINIMAL_MANIFEST = """
[[document]]
file = "a.txt"
id = "a"
title = "A"
kind = "rapport"
"""


def test_manifest_defaults_and_unknown_kind(tmp_path):
    write(tmp_path, MANIFEST_FILE, MINIMAL_MANIFEST)
    info = load_manifest(tmp_path)["a.txt"]
    assert (info.author, info.year, info.description, info.language) == (None, None, "", "nl")
    path = write(tmp_path, MANIFEST_FILE, MINIMAL_MANIFEST.replace("rapport", "boek"))
    with pytest.raises(CorpusDataError, match="'a.txt': veld 'kind' moet een van deze") as caught:
        load_manifest(tmp_path)
    assert str(path) in str(caught.value)


def test_manifest_refuses_duplicate_ids(tmp_path):
    write(tmp_path, MANIFEST_FILE, MINIMAL_MANIFEST + MINIMAL_MANIFEST.replace("a.txt", "b.txt"))
    with pytest.raises(CorpusDataError, match="id 'a' komt meer dan één keer voor"):
        load_manifest(tmp_path)


def test_glossary_entry_without_synonyms_is_refused(tmp_path):
    path = write(tmp_path, GLOSSARY_FILE, '[[begrip]]\nterm = "weefsel"\nsynoniemen = []\n')
    with pytest.raises(CorpusDataError, match="'weefsel': veld 'synoniemen' mag niet leeg zijn"):
        load_glossary(path)
    path = write(tmp_path, GLOSSARY_FILE, '[[begrip]]\nsynoniemen = ["x"]\n')
    with pytest.raises(CorpusDataError, match="veld 'term' ontbreekt"):
        load_glossary(path)


# --- broken copies of the shipped files: Dutch messages naming file, entry and field -----------

ENGLISH = ("Field required", "Input should be", "Extra inputs", "should have", "Value error",
           "validation error", "pydantic", "Unterminated", "Unclosed", "Invalid", "Expected")


def load_any(path: Path):
    loaders = {MANIFEST_FILE: lambda p: load_manifest(p.parent), ROUTEKAART_FILE: load_routekaart,
               GLOSSARY_FILE: load_glossary, PLACES_FILE: load_places}
    return loaders[path.name](path)


def test_every_shipped_data_file_loads():
    for name in (MANIFEST_FILE, ROUTEKAART_FILE, GLOSSARY_FILE, PLACES_FILE):
        assert load_any(CORPUS / name)
    places = load_places(CORPUS / PLACES_FILE)
    assert places[0] == "Groningen" and "'s-Hertogenbosch" in places


BROKEN = [
    # bronnen.toml
    (MANIFEST_FILE, 'title = "Regiodenken"\n', "",
     "[[document]] 'regiodenken.txt': veld 'title' ontbreekt"),
    (MANIFEST_FILE, "year = 2021", 'year = "twintig"', "[[document]] 'regiodenken.txt': "
     "veld 'year' moet een geheel getal zijn (gekregen: 'twintig')"),
    (MANIFEST_FILE, 'language = "nl"', 'taal = "nl"',
     "[[document]] 'regiodenken.txt': onbekende sleutel 'taal'"),
    (MANIFEST_FILE, 'kind = "artikel"', 'kind = "boek"',
     "[[document]] 'regiodenken.txt': veld 'kind' moet een van deze waarden zijn: 'rapport', "
     "'handreiking', 'casus', 'artikel' of 'document' (gekregen: 'boek')"),
    (MANIFEST_FILE, 'id = "regiodenken"', 'id = "Regio denken"',
     "[[document]] 'regiodenken.txt': veld 'id': id 'Regio denken' mag alleen kleine letters"),
    # routekaart.toml
    (ROUTEKAART_FILE, 'titel = "Definieer het vraagstuk"\n', "",
     "[[stap]] nummer 1: veld 'titel' ontbreekt"),
    (ROUTEKAART_FILE, "nummer = 3\n", 'nummer = "drie"\n',
     "[[stap]] nr. 3: veld 'nummer' moet een geheel getal zijn (gekregen: 'drie')"),
    (ROUTEKAART_FILE, 'naam = "Cleantech Oost-Nederland"\n',
     'naam = "Cleantech Oost-Nederland"\nonderzoch = true\n',
     "[[regio]] 'Cleantech Oost-Nederland': onbekende sleutel 'onderzoch' (toegestaan: naam,"),
    (ROUTEKAART_FILE, '    "vraagstuk", "definieer",', '    3, "definieer",',
     "[[stap]] nummer 1: veld 'kernwoorden', element 1 moet een tekst zijn (gekregen: 3)"),
    (ROUTEKAART_FILE, 'spreker = "Fred Paling", ', "",
     "[[wegwijzer]] nummer 1, verhaal 'DOE RECHT AAN WAT ER IS': veld 'spreker' ontbreekt"),
    (ROUTEKAART_FILE, 'zijde = "links"', 'zijde = "boven"', "[[perspectief]] 'rechtmatige "
     "overheid': veld 'zijde' moet een van deze waarden zijn: 'links' of 'rechts' (gekregen: 'boven')"),
    (ROUTEKAART_FILE, "nummer = 2\n", "nummer = 0\n",
     "[[stap]] nr. 2: veld 'nummer' moet minstens 1 zijn (gekregen: 0)"),
    # begrippen.toml
    (GLOSSARY_FILE, 'term = "technisch personeel"\n', "", "[[begrip]] nr. 1: veld 'term' ontbreekt"),
    (GLOSSARY_FILE, 'term = "technisch personeel"', "term = 7",
     "[[begrip]] nr. 1: veld 'term' moet een tekst zijn (gekregen: 7)"),
    (GLOSSARY_FILE, 'omschrijving = "Mensen met', 'uitleg = "Mensen met',
     "[[begrip]] 'technisch personeel': onbekende sleutel 'uitleg'"),
    (GLOSSARY_FILE, 'synoniemen = ["technici",', 'synoniemen = ["technici", " ",',
     "[[begrip]] 'technisch personeel': veld 'synoniemen', element 2 mag niet leeg zijn"),
    # plaatsen.toml
    (PLACES_FILE, '"Gouda",', "3,", "veld 'plaatsen', element 7 moet een tekst zijn (gekregen: 3)"),
    (PLACES_FILE, "plaatsen = [", "plaats = [", "onbekende sleutel 'plaats' bovenaan"),
    (PLACES_FILE, "provincies = [", 'provincies = "Utrecht"\nx = [',
     "veld 'provincies' moet een lijst zijn (gekregen: 'Utrecht')"),
]


@pytest.mark.parametrize(("name", "old", "new", "expected"), BROKEN)
def test_broken_copy_of_a_shipped_file_names_file_entry_and_field(tmp_path, name, old, new,
                                                                  expected):
    text = (CORPUS / name).read_text(encoding="utf-8")
    assert old in text
    path = write(tmp_path, name, text.replace(old, new, 1))
    with pytest.raises(CorpusDataError) as caught:
        load_any(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, ") or message.startswith(f"{path}: ")
    assert expected in message
    assert not any(english in message for english in ENGLISH), message


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        (MANIFEST_FILE, 'id = "regiodenken"', "id = regiodenken"),
        (ROUTEKAART_FILE, "[[wegwijzer]]\nnummer = 1", "[[wegwijzer]\nnummer = 1"),
        (GLOSSARY_FILE, 'term = "mismatch"', 'term = "mismatch'),
        (PLACES_FILE, '"Meppel",', '"Meppel"'),
    ],
)
def test_bad_toml_in_a_shipped_file_names_file_and_line(tmp_path, name, old, new):
    text = (CORPUS / name).read_text(encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    path = write(tmp_path, name, text.replace(old, new, 1))
    with pytest.raises(CorpusDataError) as caught:
        load_any(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: TOML-syntaxfout op regel {line}, kolom ")
    assert not any(english in message for english in ENGLISH), message


def test_every_problem_in_a_file_is_listed(tmp_path):
    text = MINIMAL_ROUTEKAART.replace('titel = "Laat de feiten spreken"\n', "")
    path = write(tmp_path, ROUTEKAART_FILE, "stelingen = []\n" + text.replace("stap = 1", "stap = []"))
    with pytest.raises(CorpusDataError) as caught:
        load_routekaart(path)
    assert str(caught.value).splitlines() == [
        f"{path}: 3 fouten:",
        "- [[wegwijzer]] nummer 1: veld 'titel' ontbreekt",
        "- [[wegwijzer]] nummer 1: veld 'stap' moet een geheel getal zijn (gekregen: [])",
        "- onbekende sleutel 'stelingen' bovenaan (toegestaan: wegwijzer, stap, perspectief, regio, "
        "oefening, stellingen)",
    ]


def test_an_empty_entry_does_not_also_count_as_a_missing_list(tmp_path):
    path = write(tmp_path, GLOSSARY_FILE, '[[begrip]]\nterm = " "\nsynoniemen = ["y"]\n')
    with pytest.raises(CorpusDataError) as caught:
        load_glossary(path)
    assert str(caught.value) == f"{path}, [[begrip]] nr. 1: veld 'term' mag niet leeg zijn (gekregen: ' ')"


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        (ROUTEKAART_FILE, 'titel = "Definieer het vraagstuk"\n', "",
         "[[stap]] nummer 1: veld 'titel' ontbreekt"),
        (PLACES_FILE, "plaatsen = [", "plaats = [", "onbekende sleutel 'plaats' bovenaan"),
        (MANIFEST_FILE, "year = 2021", 'year = "twintig"', "veld 'year' moet een geheel getal zijn"),
    ],
)
def test_ingest_with_a_broken_data_file_exits_2_with_the_message(tmp_path, monkeypatch, capsys,
                                                                 corpus_of, name, old, new,
                                                                 expected):
    corpus = corpus_of("regiodenken.txt")
    path = corpus / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    monkeypatch.setenv("REGIOWIJZER_HOME", str(tmp_path / "home"))
    assert main(["ingest", "--corpus", str(corpus), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"Fout: {path}" in err and expected in err
    assert not any(english in err for english in ENGLISH), err
    assert not (tmp_path / "home" / "index" / "CURRENT").exists()


def test_an_entry_that_is_not_a_table_is_named_by_position(tmp_path):
    path = write(tmp_path, GLOSSARY_FILE, 'begrip = ["weefsel"]\n')
    with pytest.raises(CorpusDataError) as caught:
        load_glossary(path)
    assert str(caught.value) == f"{path}, [[begrip]] nr. 1: moet een tabel zijn (gekregen: 'weefsel')"
