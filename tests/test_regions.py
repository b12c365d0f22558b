"""corpus/regios.toml: the 35 labour-market regions and 12 provinces load, names resolve the way a
user writes them, and a broken file fails with a Dutch message naming the entry and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from seed import pristine_corpus

from ingest.index.corpusdata import CorpusDataError
from ingest.index.regions import REGIONS_FILE, load_regions

CORPUS = pristine_corpus()
PROVINCES = {"Groningen", "Friesland", "Drenthe", "Overijssel", "Flevoland", "Gelderland", "Utrecht",
             "Noord-Holland", "Zuid-Holland", "Zeeland", "Noord-Brabant", "Limburg"}


@pytest.fixture(scope="module")
def atlas():
    return load_regions(CORPUS / REGIONS_FILE)


def test_the_file_has_the_35_regions_and_12_provinces(atlas):
    regions = atlas.of_kind("arbeidsmarktregio")
    assert len(regions) == 35
    assert {p.naam for p in atlas.of_kind("provincie")} == PROVINCES
    for region in regions:
        assert region.gemeenten and set(region.provincies) <= PROVINCES
        if region.centrumgemeente:
            assert region.centrumgemeente in region.gemeenten
    assert sum(1 for r in regions if r.centrumgemeente) >= 30


@pytest.mark.parametrize("name, kind, expected, province, region", [
    ("Zwolle", "gemeente", "Zwolle", "Overijssel", "Regio Zwolle"),
    ("zwolle", "gemeente", "Zwolle", "Overijssel", "Regio Zwolle"),
    ("Den Bosch", "gemeente", "'s-Hertogenbosch", "Noord-Brabant", "Noordoost-Brabant"),
    ("Meppel", "gemeente", "Meppel", "Drenthe", "Regio Zwolle"),  # a region over a province border
    ("Drenthe", "provincie", "Drenthe", "Drenthe", None),  # also a region: the province comes first
    ("Fryslân", "provincie", "Friesland", "Friesland", None),
    ("Twente", "arbeidsmarktregio", "Twente", "Overijssel", "Twente"),
])
def test_names_resolve_as_users_write_them(atlas, name, kind, expected, province, region):
    place = atlas.lookup(name)
    assert (place.soort, place.naam) == (kind, expected)
    assert province in place.provincies
    if region:
        assert region in place.arbeidsmarktregios


def test_asking_for_a_kind_gets_that_kind(atlas):
    region = atlas.lookup("Drenthe", "arbeidsmarktregio")
    assert region.soort == "arbeidsmarktregio" and region.centrumgemeente == "Emmen"
    province = atlas.lookup("Drenthe")
    assert "Assen" in province.gemeenten and "Meppel" in province.gemeenten
    assert {"Drenthe", "Groningen", "Regio Zwolle"} <= set(province.arbeidsmarktregios)
    assert atlas.lookup("Atlantis") is None


GOOD = """
[provincies]
Drenthe = { hoofdstad = "Assen" }

[[arbeidsmarktregio]]
naam = "Drenthe"
centrumgemeente = "Emmen"
gemeenten.Drenthe = ["Emmen", "Hoogeveen"]
"""


def write(tmp_path, text: str) -> Path:
    path = tmp_path / REGIONS_FILE
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("broken, message", [
    (GOOD.replace('naam = "Drenthe"\n', ""), "[[arbeidsmarktregio]] nr. 1: veld 'naam' ontbreekt"),
    (GOOD.replace("gemeenten.Drenthe", "gemeenten.Drente"),
     "'Drente' is geen provincie uit [provincies]"),
    (GOOD.replace('"Emmen", "Hoogeveen"', '"Emmen", "Hoogeveen", "Emmen"'),
     "gemeente 'Emmen' staat twee keer bij 'Drenthe'"),
    (GOOD + '\n[[arbeidsmarktregio]]\nnaam = "Zuidoost-Drenthe"\ngemeenten.Drenthe = ["Emmen"]\n',
     "gemeente 'Emmen' staat bij 'Drenthe' en bij 'Zuidoost-Drenthe'"),
    (GOOD.replace('centrumgemeente = "Emmen"', 'centrumgemeente = "Assen"'),
     "centrumgemeente 'Assen' staat niet in de gemeenten van die regio"),
    (GOOD.replace('naam = "Drenthe"', 'naam = "Drenthe"\nkleur = "rood"'),
     "[[arbeidsmarktregio]] 'Drenthe': onbekende sleutel 'kleur'"),
    (GOOD.replace('["Emmen", "Hoogeveen"]', '"Emmen"'),
     "[[arbeidsmarktregio]] 'Drenthe': veld 'gemeenten' moet een lijst zijn"),
    (GOOD + '\n[gemeente_aliassen]\n"Assen" = ["Asse"]\n', "'Assen' is geen gemeente"),
    (GOOD.replace("[provincies]", "[provincies"), "TOML-syntaxfout op regel 2"),
])
def test_a_broken_file_says_in_dutch_what_and_where(tmp_path, broken, message):
    path = write(tmp_path, broken)
    with pytest.raises(CorpusDataError) as err:
        load_regions(path)
    assert message in str(err.value)
    assert str(path) in str(err.value)


def test_a_users_addition_is_found(tmp_path):
    atlas = load_regions(write(tmp_path, GOOD.replace('"Hoogeveen"', '"Hoogeveen", "Coevorden"')))
    place = atlas.lookup("Coevorden")
    assert place.soort == "gemeente" and place.arbeidsmarktregios == ("Drenthe",)
