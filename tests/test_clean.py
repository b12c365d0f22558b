"""Cleaning: literal excerpts of the seed documents in, expected paragraphs out.

Set REGIOWIJZER_UPDATE_GOLDEN=1 to rewrite tests/golden/clean/*.txt after an intended change.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seed import pristine_corpus

from ingest.clean import (
    clean_pages,
    drop_figure_labels,
    drop_table_of_contents,
    is_noise_line,
    join_hyphenated,
    normalize_unicode,
    normalize_whitespace,
    repair_small_caps,
    repair_split_words,
    strip_repeated_lines,
    strip_running_headers,
    strip_web_tail,
    unwrap,
)
from ingest.model import Page, Paragraph

CORPUS = pristine_corpus()
GOLDEN = Path(__file__).resolve().parent / "golden" / "clean"
DOCS = [
    "regiodenken",
    "vng-nieuws-werkende-samenwerking",
    "handreiking-werkgeversdienstverlening",
    "triple-helix-regionale-werkzekerheid",
    "vng-denktank-jaarbericht-2018",
]


def seed(name: str) -> str:
    return (CORPUS / f"{name}.txt").read_text(encoding="utf-8")


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def texts(text: str) -> list[str]:
    return [p.text for p in clean_pages([Page(None, text)])]


# --- normalize_unicode / normalize_whitespace -------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ﬁnanciële ﬂexibiliteit", "financiële flexibiliteit"),  # ligatures (NFKC)
        ("onder\u00adwijs", "onderwijs"),  # soft hyphen inside a word
        ("onder\u00ad\nwijsinstellingen", "onderwijsinstellingen"),  # soft hyphen at line end
        ("Tips\u00a0voor", "Tips voor"),  # no-break space
        ("Werk\u202fen\u2009inkomen", "Werk en inkomen"),  # narrow and thin spaces
        ("het \u2018regiodenken\u2019 in regio\u2019s", "het 'regiodenken' in regio's"),
        ("\u201cMaar vanzelf gaat het niet altijd.\u201d", '"Maar vanzelf gaat het niet altijd."'),
        ("\tOver werkende samenwerking", " Over werkende samenwerking"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("[\u2026] Dat betekent", "[...] Dat betekent"),
        ("één – twee", "één – twee"),  # accents and en dash stay
        ("page\f12", "page\f12"),  # form feeds are page breaks, kept
    ],
)
def test_normalize_unicode(raw, expected):
    assert normalize_unicode(raw) == expected


def test_normalize_unicode_is_idempotent():
    raw = "\u2018Een attractieve agenda\u2019 \u2013 \ufb01ets\u00a0\u00adroute"
    once = normalize_unicode(raw)
    assert normalize_unicode(once) == once


def test_normalize_whitespace_fixes_crlf_runs_and_trailing_spaces():
    raw = "Arbeidsmarkttransacties \r\n\r\nHet  regiodenken   is \rook hier.  "
    assert normalize_whitespace(raw) == "Arbeidsmarkttransacties\n\nHet regiodenken is\nook hier."


def test_normalize_whitespace_keeps_leading_indent():
    assert normalize_whitespace("  Een verhaal  \n x") == "  Een verhaal\n x"


# --- join_hyphenated ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (  # regiodenken
            "In regio's werken overheden, onder-\nwijsinstellingen en bedrijven",
            "In regio's werken overheden, onderwijsinstellingen en bedrijven",
        ),
        ("zich - vaak van overheids-\nwege ingestoken", "zich - vaak van overheidswege ingestoken"),
        (  # triple helix: capital at a sentence start is no evidence for a name
            "bijdragen aan werkzekerheid? Regio-\nnaal arbeidsmarktbeleid",
            "bijdragen aan werkzekerheid? Regionaal arbeidsmarktbeleid",
        ),
        (
            "onderdeel van op in-\nnovatie en economische groei",
            "onderdeel van op innovatie en economische groei",
        ),
        (
            "zoals nu reeds in Noord-Bra-\nbant en Limburg",
            "zoals nu reeds in Noord-Brabant en Limburg",
        ),
        ("sprake van verschil-\nlende snelheden", "sprake van verschillende snelheden"),
        (
            "wat werkt in Noord-\n\nHolland hoeft",
            "wat werkt in Noord-Holland hoeft",
        ),  # capital: keep
        (
            "rondom arbeidsmarkt-\n\nvraagstukken daadwerkelijk",
            "rondom arbeidsmarktvraagstukken daadwerkelijk",
        ),
        ("over een professionele HRM-\nafdeling", "over een professionele HRM-afdeling"),  # acronym
        ("in de periode 2009-\n2010 gestart", "in de periode 2009-2010 gestart"),
        ("Amster-\n\ndam.  En Bruno", "Amsterdam.  En Bruno"),
    ],
)
def test_join_hyphenated(raw, expected):
    assert join_hyphenated(raw) == expected


def test_join_hyphenated_keeps_a_compound_the_document_spells_with_a_hyphen():
    text = (
        "ontwikkelde Triple Helix-samenwerking, zowel in Nederland\n"
        "dat de Triple Helix-\nsamenwerking stevig meetelde"
    )
    assert join_hyphenated(text).endswith("dat de Triple Helix-samenwerking stevig meetelde")


def test_join_hyphenated_keeps_a_hyphen_after_a_name_the_document_uses():
    text = "Het begrip Triple Helix is geïnspireerd.\nEssentieel is dat de Triple Helix-\ngedachte"
    assert join_hyphenated(text).endswith("dat de Triple Helix-gedachte")


def test_join_hyphenated_uses_related_hyphenated_words():
    text = "Ook richting collega-wethouders in de regio. Ik ruilde met mijn collega-\nwethouder"
    assert join_hyphenated(text).endswith("met mijn collega-wethouder")


def test_join_hyphenated_prefers_the_joined_spelling_the_document_uses():
    text = "de nieuwe gebieden\nin 34 RPA-ge-\nbieden"
    assert join_hyphenated(text).endswith("in 34 RPA-gebieden")


@pytest.mark.parametrize(
    "text",
    [
        "Denk domein-overschrijdend",  # a hyphen inside a line
        "in allerlei vormen van op- en nascholing.",  # hyphen + space is no line break
        "onderwijs-\nen kennisinstellingen",  # Dutch ellipsis before "en" stays
        "Brainport 2020 -\nagenda.",  # a dash, not a broken word
        "",
    ],
)
def test_join_hyphenated_leaves_real_hyphens_alone(text):
    assert join_hyphenated(text) == text


# --- repair_split_words -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Een regio is een geograf ische begrenzing", "Een regio is een geografische begrenzing"),
        ("een eff iciënte aanpak", "een efficiënte aanpak"),
        ("de f inanciële steun", "de financiële steun"),
        ("een f lexibele arbeidsmarkt", "een flexibele arbeidsmarkt"),
        (  # evidence: the joined word occurs elsewhere in the text
            "de grafiek en de graf iek",
            "de grafiek en de grafiek",
        ),
        (
            "Is er nu of in de toekomst een mismatch? Of in",
            "Is er nu of in de toekomst een mismatch? Of in",
        ),
        ("zelf in de regio en zelf in de stad", "zelf in de regio en zelf in de stad"),
        ("achteraf is wel vast te stellen", "achteraf is wel vast te stellen"),
    ],
)
def test_repair_split_words(raw, expected):
    assert repair_split_words(raw) == expected


# --- noise ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Missing media-item.",
        "Missing media-item. Hoe succesvol bijdragen?",
        "[HIER PRAATPLAAT VAN PUBLIC CINEMA OPNEMEN]",
        " [hier portretfoto van Milo Schoenmaker bijplaatsen]",
        "To prevent automated spam submissions leave this field empty.",
        "Vond u deze pagina interessant?",
        "•",
    ],
)
def test_noise_lines(line):
    assert is_noise_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Contact",  # only noise at the end of a web page, see strip_web_tail
        "[...] Dat betekent dat het gaat om een combinatie",
        "Hoe succesvol bijdragen?",
        "• Een heldere structuur van de samenwerking biedt houvast.",
        "",
    ],
)
def test_not_noise_lines(line):
    assert not is_noise_line(line)


def test_strip_web_tail_removes_the_page_footer_of_the_news_item():
    lines = [
        'De urgentie wordt in ieder geval overal gevoeld."',
        "",
        "Contact",
        "",
        "Links en documenten",
        "",
        "Vond u deze pagina interessant?",
        "",
        "To prevent automated spam submissions leave this field empty.",
    ]
    assert strip_web_tail(lines) == lines[:1]


def test_strip_web_tail_keeps_contact_inside_the_text():
    lines = ["Contact", "", "Bel ons gerust."]
    assert strip_web_tail(lines) == lines


# --- figures and placeholders -----------------------------------------------------------

FIGURE_2 = """kan er samen worden gewerkt aan een oplossing'. (p. 62)

Overheid

Burgers

Attractieve
agenda

Ondernemers

Onderwijs

Figuur 2  Een attractieve agenda maakt individuele belangen gedeeld"""


def test_drop_figure_labels_keeps_the_caption():
    lines = lines_of(FIGURE_2)
    kept = [line for line in drop_figure_labels(lines) if line.strip()]
    assert kept == [lines[0], lines[-1]]


def test_drop_figure_labels_between_two_placeholders():
    lines = [
        " Een routekaart",
        "",
        "[HIER PRAATPLAAT VAN PUBLIC CINEMA OPNEMEN]",
        "",
        "Mooie agenda!",
        " hop-on",
        " [HIER PRAATPLAAT VAN PUBLIC CINEMA OPNEMEN]",
        "  Een verhaal",
    ]
    kept = [line.strip() for line in drop_figure_labels(lines) if line.strip()]
    assert "Mooie agenda!" not in kept and "hop-on" not in kept
    assert kept[0] == "Een routekaart" and kept[-1] == "Een verhaal"


def test_drop_figure_labels_keeps_table_cells():
    lines = ["Regio", "Werkloosheid", "Zeeland", "3,4%", "Tabel 1  Werkloosheid per regio"]
    assert drop_figure_labels(lines) == lines
    assert drop_figure_labels(["Zeeland", "3,4%", "Figuur 1  Kaart"])[1] == "3,4%"


def test_drop_figure_labels_keeps_a_heading_above_a_caption():
    lines = ["Leeswijzer", "", "Figuur 6  Een kaart"]
    assert drop_figure_labels(lines) == lines


# --- table of contents ------------------------------------------------------------------

REPORT_END = """Den Haag, juni 2018

80





\tOver 'werkende samenwerking'
\tRegionale samenwerking is niet nieuw
\tLeeswijzer


\tEen routekaart
\tLaat de
feiten spreken
\tDenk domeinoverschrijdend

\tDankwoord
\tColofon

"""


def test_drop_table_of_contents_removes_the_tab_indented_list():
    kept = [line for line in drop_table_of_contents(lines_of(REPORT_END)) if line.strip()]
    assert kept == ["Den Haag, juni 2018", "80"]


def test_drop_table_of_contents_with_dot_leaders():
    lines = [
        "Inhoud",
        "Voorwoord ........ 3",
        "Een routekaart ..... 12",
        "Dankwoord ..... 70",
        "",
        "Tekst.",
    ]
    assert drop_table_of_contents(lines) == ["Inhoud", "", "Tekst."]


def test_drop_table_of_contents_keeps_tab_indented_prose():
    lines = [
        "\tDit is een gewone alinea die met een tab begint.",
        "\tEn nog een.",
        "\tEn een derde.",
    ]
    assert drop_table_of_contents(lines) == lines


# --- running headers and page numbers ---------------------------------------------------

DIVIDER = """te benutten in de dagelijkse praktijk van de eigen regio.

Hoofdstuk 2. Een routekaart66



10
Geef het

voorbeeld

Hoofdstuk 2. Een routekaart 67



 Een verhaal"""


def test_strip_running_headers_turns_footers_into_page_breaks():
    out = strip_running_headers(lines_of(DIVIDER))
    assert "\f67" in out  # footer 66 is followed by footer 67: the page between is known
    assert "\f?" in out  # after footer 67 no next footer: the page cannot be known
    assert not any("routekaart" in line for line in out)
    assert "10" in out  # the wegwijzer number is a heading, not a page number


def test_strip_running_headers_leaves_numbered_headings_alone():
    lines = ["Stap 1", "Definieer het vraagstuk.", "Stap 2", "Bepaal het netwerk.", "Stap 3", "Kies."]
    assert strip_running_headers(lines) == lines


def test_strip_running_headers_finds_a_footer_repeated_with_rising_numbers():
    lines = ["Werkende samenwerking 12", "a", "Werkende samenwerking 13", "b", "Werkende samenwerking 14"]
    assert strip_running_headers(lines) == ["\f13", "a", "\f14", "b", "\f?"]


def test_strip_running_headers_takes_a_bare_number_at_the_end_as_page_number():
    out = strip_running_headers(["Excelsior", "", "Den Haag, juni 2018", "", "80", "", ""])
    assert out[:4] == ["Excelsior", "", "Den Haag, juni 2018", ""]
    assert out[4] == "\f?"  # a page number, dropped; nothing after it has a known page


def test_strip_running_headers_takes_a_number_inside_a_sentence_as_page_number():
    out = strip_running_headers(["de gemeente", "", "12", "", "en de regio", "", "13", "", "x"])
    assert out[2] == "\f13" and out[6] == "\f?"


def test_strip_running_headers_drops_markers_where_pages_are_numbered():
    lines = [
        "\f66",
        "tekst",
        "Hoofdstuk 2. Een routekaart66",
        "\f67",
        "meer",
        "Hoofdstuk 2. Een routekaart 67",
    ]
    assert strip_running_headers(lines) == ["\f66", "tekst", "", "\f67", "meer", ""]


BODIES = [
    "Vijf onderdelen van de routekaart.",
    "Tien wegwijzers.",
    "Leeswijzer.",
    "Een routekaart.",
]


def test_strip_repeated_lines_removes_pdf_headers_and_page_numbers():
    pages = [["VNG Denktank Jaarbericht", body, "", str(n)] for n, body in enumerate(BODIES, 3)]
    assert strip_repeated_lines(pages) == [[body, ""] for body in BODIES]


def test_strip_repeated_lines_keeps_block_markers_and_few_pages():
    pages = [["Een verhaal", body] for body in BODIES]
    assert strip_repeated_lines(pages) == pages
    two = [["Kop", "a"], ["Kop", "b"]]
    assert strip_repeated_lines(two) == two


# --- small capitals ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("regionale inSpanningen voor werkzekerHeiD", "Regionale inspanningen voor werkzekerheid"),
        ("naBeScHouwing en voorBlik", "Nabeschouwing en voorblik"),
        ("concluSieS", "Conclusies"),
        (
            "ePortfolio's binnen Brainport-bedrijven, waarmee de in",
            "ePortfolio's binnen Brainport-bedrijven, waarmee de in",
        ),
        ("WERKbedrijf heeft 130 vestigingen", "WERKbedrijf heeft 130 vestigingen"),
    ],
)
def test_repair_small_caps(raw, expected):
    assert repair_small_caps(raw) == expected


# --- unwrap -----------------------------------------------------------------------------


def test_unwrap_double_spaced_report_text():
    # Every line is followed by an empty line; paragraphs end on a short closing line.
    text = """De VNG Denktank is een telkens van samenstelling wisselende commissie, die zich

buigt over een actueel thema in het openbaar bestuur. Via de VNG Denktank brengen

vertegenwoordigers vanuit het lokaal bestuur, universiteiten, kennisinstituten en/of

andere betrokkenen inzichten vanuit de theorie en de praktijk bij elkaar. De opbrengst

wordt traditioneel gepubliceerd in een jaarbericht.

De 1e VNG Denktank, onder leiding van Rob van Gijzel, leverde in 2013 een jaarbericht

op met als titel 'Van eerste overheid naar eerst de burger; over maatschappelijke

initiatieven die de lokale overheid uitdagen.' In 2014 volgde het jaarbericht van de 2e

VNG Denktank, onder voorzitterschap van ondergetekende, onder de noemer 'Gewoon

dichtbij, gedeelde verantwoordelijkheid voor lokale kwaliteiten'."""
    paragraphs = unwrap(lines_of(text))
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("De VNG Denktank is een telkens")
    assert paragraphs[0].endswith(
        "bij elkaar. De opbrengst wordt traditioneel gepubliceerd in een jaarbericht."
    )
    assert "van de 2e VNG Denktank, onder" in paragraphs[1]


def test_unwrap_story_block():
    text = """  Een verhaal

DOE RECHT AAN WAT ER IS

Fred Paling, voorzitter Raad van Bestuur UWV

'In de vorige raadsperiode vertelde een wethouder me dat hij heel hard bezig
was om bedrijven naar de regio te halen, en toen achter een mismatch kwam: er
vestigden zich allerlei high-tech bedrijven, terwijl vooral veel mensen met weinig opleiding
een baan zochten.

Als ik kijk naar het domein 'werk en inkomen' stel ik vast dat succes begint met je basis
op orde hebben."""
    assert unwrap(lines_of(text)) == [
        "Een verhaal",
        "DOE RECHT AAN WAT ER IS",
        "Fred Paling, voorzitter Raad van Bestuur UWV",
        "'In de vorige raadsperiode vertelde een wethouder me dat hij heel hard bezig was om "
        "bedrijven naar de regio te halen, en toen achter een mismatch kwam: er vestigden zich "
        "allerlei high-tech bedrijven, terwijl vooral veel mensen met weinig opleiding een baan "
        "zochten.",
        "Als ik kijk naar het domein 'werk en inkomen' stel ik vast dat succes begint met je basis "
        "op orde hebben.",
    ]


def test_unwrap_long_speaker_line_stays_apart_from_the_story():
    text = """ BETROKKENHEID VORMGEVEN

Boudewijn Steur, programmamanager versterking democratie en bestuur, ministerie van BZK

Bij arbeidsmarktopgaven gaat het over bedrijvigheid. Over de rol van het bedrijfsleven en de
onderwijs sector."""
    assert unwrap(lines_of(text))[1] == (
        "Boudewijn Steur, programmamanager versterking democratie en bestuur, ministerie van BZK"
    )


def test_unwrap_speaker_line_wrapped_over_three_lines():
    text = """WENDBAAR DOOR HET WEEFSEL

Els van der Pool en Guido Rijnja (verbonden aan

respectievelijk de Hogeschool Arnhem en Nijmegen en het

ministerie van AZ) onderzoeken de kracht van contact bij

samenwerking

'We zijn gefascineerd door de relationele kanten van samenwerking. Wat opvalt is dat het vaak
over de inhoud gaat."""
    assert unwrap(lines_of(text)) == [
        "WENDBAAR DOOR HET WEEFSEL",
        "Els van der Pool en Guido Rijnja (verbonden aan respectievelijk de Hogeschool Arnhem en "
        "Nijmegen en het ministerie van AZ) onderzoeken de kracht van contact bij samenwerking",
        "'We zijn gefascineerd door de relationele kanten van samenwerking. Wat opvalt is dat het "
        "vaak over de inhoud gaat.",
    ]


def test_unwrap_research_block_with_topic_line_and_bullets():
    text = """  Uit het onderzoek
(over het belang van feiten en data)

• '[...] Dat betekent dat het gaat om een combinatie van een objectieve en feitelijke

opgave - die je bij wijze van spreken kunt uitrekenen - en een geconstrueerde opgave

die partijen met elkaar benoemen. In het gunstige geval vallen deze beide elementen

helemaal samen, in het meest ongunstige geval hebben ze niets met elkaar te maken.

In de praktijk zal het gaan om het zo dicht mogelijk bij elkaar brengen van beide.'

(p.180)

• 'In veel regio's wordt de samenwerking in de praktijk belemmerd door hele basale zaken,

zoals een mismatch tussen systemen en werkwijzen.' (p. 155)

 Een handreiking"""
    paragraphs = unwrap(lines_of(text))
    assert paragraphs[:2] == ["Uit het onderzoek", "(over het belang van feiten en data)"]
    assert paragraphs[2].startswith("• '[...] Dat betekent dat")
    assert paragraphs[2].endswith("bij elkaar brengen van beide.' (p.180)")
    assert paragraphs[3] == (
        "• 'In veel regio's wordt de samenwerking in de praktijk belemmerd door hele basale "
        "zaken, zoals een mismatch tussen systemen en werkwijzen.' (p. 155)"
    )
    assert paragraphs[4] == "Een handreiking"
    assert len(paragraphs) == 5


def test_unwrap_two_column_article():
    # Short lines, paragraphs separated by blanks, but a column break splits a sentence.
    text = """In de periode 1990–1996 werd een tripartite arbeids-
voorzieningsorganisatie ingevoerd, op nationaal en na-
drukkelijk ook op regionaal niveau (Regionaal Bureau
Arbeidsvoorziening), waarbinnen naast de overheid
ook de sociale partners een stevige positie kregen. Dit
beleidsexperiment was echter een kort leven beschoren
(Sol, 2000; Sol et al., 1998; Meijs, 1989). Vervolgens
werd in 2002 de zogenoemde SUWI-operatie (Wet
structuur uitvoering werk en inkomen) ingezet, waar-
in het nieuwe ‘arbeidsbureau’ Centrum voor Werk en

Inkomen (CWI) en de nieuwe publieke uitkerings- en
bemiddelingsinstantie UWV uiteindelijk zouden inte-
greren tot een WERKbedrijf (Van Gestel et al., 2009).

Naast deze structuren zijn er op regionaal niveau
nog diverse andere organisaties actief.

De Triple Helix
Het begrip Triple Helix is geïnspireerd op de term
‘dubbele helix’, bekend van de twee in elkaar gedraaide
DNA-strengen."""
    paragraphs = [text for text, _ in _unwrap_clean(text)]
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith(
        "In de periode 1990–1996 werd een tripartite arbeidsvoorzieningsorganisatie"
    )
    assert "waarin het nieuwe 'arbeidsbureau' Centrum voor Werk en Inkomen (CWI) en" in paragraphs[0]
    assert paragraphs[0].endswith("zouden integreren tot een WERKbedrijf (Van Gestel et al., 2009).")
    assert paragraphs[1:] == [
        "Naast deze structuren zijn er op regionaal niveau nog diverse andere organisaties actief.",
        "De Triple Helix",
        "Het begrip Triple Helix is geïnspireerd op de term 'dubbele helix', bekend van de twee in "
        "elkaar gedraaide DNA-strengen.",
    ]


def _unwrap_clean(text: str) -> list[tuple[str, int | None]]:
    return [(p.text, p.page) for p in clean_pages([Page(None, text)])]


def test_unwrap_small_caps_heading_is_its_own_paragraph():
    text = """onderwijs- en kennisinstellingen, en (lokale) overheid.

regionale inSpanningen voor werkzekerHeiD
Als we werkzekerheid op individueel niveau definiëren
als de kans om aan het werk te komen en te blijven."""
    assert unwrap(lines_of(text))[1:] == [
        "Regionale inspanningen voor werkzekerheid",
        "Als we werkzekerheid op individueel niveau definiëren als de kans om aan het werk te "
        "komen en te blijven.",
    ]


def test_unwrap_lists_chapters_and_headings():
    text = """ I
Over 'werkende
samenwerking'



Regionale samenwerking is niet nieuw

In het onderzoeksrapport van de NSOB en de Erasmus Universiteit is gewerkt aan

een routekaart, opgebouwd uit een vijftal hoofdonderdelen. Kort samengevat, kent

deze routekaart de volgende oriëntatiepunten:

1. Definieer het vraagstuk

2. Bepaal in welk netwerk de opgave speelt

 a. De rechtmatige overheid

In dit perspectief gaat het vooral om rechtmatig handelen.

 4.  Investeer in gedeeld denken (aan de hand van de drieslag structuur,

individu en weefsel)

Figuur 1: vier typen

overheidssturing"""
    assert unwrap(lines_of(text)) == [
        "I",
        "Over 'werkende samenwerking'",
        "Regionale samenwerking is niet nieuw",
        "In het onderzoeksrapport van de NSOB en de Erasmus Universiteit is gewerkt aan een "
        "routekaart, opgebouwd uit een vijftal hoofdonderdelen. Kort samengevat, kent deze "
        "routekaart de volgende oriëntatiepunten:",
        "1. Definieer het vraagstuk",
        "2. Bepaal in welk netwerk de opgave speelt",
        "a. De rechtmatige overheid",
        "In dit perspectief gaat het vooral om rechtmatig handelen.",
        "4. Investeer in gedeeld denken (aan de hand van de drieslag structuur, individu en weefsel)",
        "Figuur 1: vier typen overheidssturing",
    ]


def test_unwrap_indented_items_without_bullet_glyph():
    # The report's reading guide lost its bullet glyphs; the indent still starts each item.
    paragraphs = texts(seed("vng-denktank-jaarbericht-2018"))
    start = paragraphs.index("Leeswijzer")
    assert paragraphs[start + 2 : start + 6] == [
        "een verhaal van een collega (of van een andere speler uit het netwerk): dit onderdeel "
        "bevat een ervaring, anekdote of zienswijze van één of meerdere Denktankleden, ontleend "
        "aan de praktijk",
        "uit het onderzoek: in dit onderdeel is een verwijzing opgenomen naar één of meerdere "
        "relevante passages over dit thema in het onderzoeksrapport 'Werkende samenwerking' van "
        "de NSOB en de Erasmus Universiteit",
        "een handreiking van de Denktank: dit betreft een concrete suggestie voor burgemeesters, "
        "wethouders, raadsleden en/of ambtenaren, om toe te passen in de dagelijkse praktijk",
        "In hoofdstuk 3 wordt de werkwijze van de 4e VNG Denktank nader toegelicht. Het laatste "
        "hoofdstuk 4 biedt een overzicht van alle partijen en personen die een bijdrage hebben "
        "geleverd aan de totstandkoming van dit Jaarbericht.",
    ]


def test_unwrap_heading_after_a_full_closing_line():
    text = """inzichten biedt voor andere opgaven die op het bordje van gemeenten liggen. Dus een

traject met als focus regionale samenwerking en als locus arbeidsmarktopgaven.

Teamsamenstelling

Nadat de opdracht was afgebakend, is geïnvesteerd in het vinden van een"""
    assert unwrap(lines_of(text))[1] == "Teamsamenstelling"


def test_unwrap_web_page_lines_are_paragraphs():
    long = "Samenwerking in de regio rondom arbeidsmarktvraagstukken is cruciaal. " * 4
    text = f"Tips voor een goede samenwerking\n\n{long}\n\nStappenplan\n\n{long}"
    assert len(unwrap(lines_of(text))) == 4


def test_unwrap_renders_bullets_consistently():
    assert unwrap(["•Een heldere structuur", "", "  ●  Mensen maken het verschil."]) == [
        "• Een heldere structuur",
        "• Mensen maken het verschil.",
    ]


def test_unwrap_empty():
    assert unwrap([]) == []
    assert unwrap(["", "  ", "\f3"]) == []


# --- clean_pages ------------------------------------------------------------------------


def test_clean_pages_empty_input():
    assert clean_pages([]) == []
    assert clean_pages([Page(None, "")]) == []
    assert clean_pages([Page(None, " \n\n\t\r\n")]) == []


def test_clean_pages_crlf_equals_lf():
    text = seed("regiodenken")
    assert clean_pages([Page(None, text.replace("\n", "\r\n"))]) == clean_pages([Page(None, text)])


def test_clean_pages_page_with_only_noise():
    pages = [
        Page(1, "Missing media-item.\n\n[HIER PRAATPLAAT VAN PUBLIC CINEMA OPNEMEN]\n"),
        Page(2, "Hoe succesvol bijdragen?"),
    ]
    assert clean_pages(pages) == [Paragraph("Hoe succesvol bijdragen?", 2)]


def test_clean_pages_joins_a_word_broken_over_a_page_boundary():
    pages = [
        Page(3, "In regio's werken overheden, onder-"),
        Page(4, "wijsinstellingen en bedrijven samen.\n\nArbeidsmarkttransacties"),
    ]
    assert clean_pages(pages) == [
        Paragraph("In regio's werken overheden, onderwijsinstellingen en bedrijven samen.", 3),
        Paragraph("Arbeidsmarkttransacties", 4),
    ]


PDF_PAGES = {
    5: (
        "Voorwoord",
        "Regionale samenwerking is niet meer weg te denken uit het",
        "openbaar bestuur.",
    ),
    6: (
        "Tien wegwijzers",
        "De leden van de 4e VNG Denktank hebben deze routekaart",
        "verder ingekleurd.",
    ),
    7: ("Leeswijzer", "In hoofdstuk 2 is de routekaart te vinden, net als de tien", "wegwijzers."),
    8: (
        "Dankwoord",
        "Dit Jaarbericht is tot stand gekomen door de hulp van velen,",
        "naast de leden.",
    ),
}


def test_clean_pages_pdf_pages_lose_running_headers_and_keep_their_numbers():
    pages = [
        Page(n, f"VNG Denktank | Werkende samenwerking\n{head}\n{line1}\n{line2}\n\n{n}")
        for n, (head, line1, line2) in PDF_PAGES.items()
    ]
    assert clean_pages(pages) == [
        paragraph
        for n, (head, line1, line2) in PDF_PAGES.items()
        for paragraph in (Paragraph(head, n), Paragraph(f"{line1} {line2}", n))
    ]


def test_clean_pages_form_feeds_in_a_text_file():
    paragraphs = clean_pages([Page(None, "Eerste pagina.\fTweede pagina.")])
    assert [p.text for p in paragraphs] == ["Eerste pagina.", "Tweede pagina."]
    assert {p.page for p in paragraphs} == {None}


def test_clean_pages_page_numbers_from_footers():
    text = f"{DIVIDER}\n\nBRUGGEN BOUW JE SAMEN\n\nAnneke Knol\n\nTekst.\n\n80\n"
    paragraphs = clean_pages([Page(None, text)])
    assert paragraphs[0].page is None  # before the first footer nothing is known
    assert paragraphs[1] == Paragraph("10 Geef het voorbeeld", 67)
    # Footer 67 is followed by footer 80: the pages in between are unknown, so no page
    # rather than a wrong one.
    assert paragraphs[2] == Paragraph("Een verhaal", None)
    assert all(p.page is None for p in paragraphs[2:])
    assert paragraphs[-1].text == "Tekst."


def test_clean_pages_handreiking_top_menu_and_real_heading():
    text = """Missing media-item. Hoe succesvol bijdragen?
Missing media-item. Welke benaderingen treffen we aan in de praktijk?

Hoe succesvol bijdragen?

Werkgevers zijn voor hun personeelsvraag niet gebonden aan één gemeente.

Missing media-item.

 • Eén regionaal netwerk\u00a0 versus vanuit lokaal naar regionaal netwerk
 • Eén regionaal arbeidsmarktbeleid – lokale plannen als basis"""
    assert texts(text) == [
        "Hoe succesvol bijdragen?",
        "Werkgevers zijn voor hun personeelsvraag niet gebonden aan één gemeente.",
        "• Eén regionaal netwerk versus vanuit lokaal naar regionaal netwerk",
        "• Eén regionaal arbeidsmarktbeleid – lokale plannen als basis",
    ]


def test_clean_pages_placeholder_spanning_lines():
    text = "VNG Denktank\n [hier portretfoto van Milo\n\nSchoenmaker bijplaatsen]\n\nDr. Milo"
    assert texts(text) == ["VNG Denktank", "Dr. Milo"]


def test_clean_pages_keeps_text_after_an_unclosed_bracket():
    text = "[hier begint een opmerking\n\n" + "Een lange alinea die gewoon doorloopt. " * 8 + "]"
    assert len(" ".join(texts(text))) > 300


# --- the seed corpus --------------------------------------------------------------------

# What the test itself declares to be noise, independently of the cleaner: each pattern must
# match the raw seed, so a changed seed fails loudly instead of silently passing.
SEED_NOISE: dict[str, list[re.Pattern[str]]] = {
    "handreiking-werkgeversdienstverlening": [re.compile(r"^Missing media-item\..*$", re.M)],
    "vng-nieuws-werkende-samenwerking": [
        re.compile(
            r"^(?:Contact|Links en documenten|Vond u deze pagina interessant\?"
            r"|To prevent automated spam submissions leave this field empty\.)$",
            re.M,
        )
    ],
    "vng-denktank-jaarbericht-2018": [
        re.compile(r"\[hier portretfoto van Milo\n\nSchoenmaker bijplaatsen\]"),
        re.compile(r"\[HIER PRAATPLAAT VAN PUBLIC CINEMA OPNEMEN\]"),
        re.compile(r"^Mooie agenda!\n hop-on$", re.M),
        re.compile(r"^Hoofdstuk 2\. Een routekaart ?6[67]$", re.M),
        re.compile(r"^80\n[\s\S]*\Z", re.M),  # the last page number and the contents list
        re.compile(r"^Overheid\n\nBurgers\n\nAttractieve\nagenda\n\nOndernemers\n\nOnderwijs$", re.M),
        re.compile(
            r"^Economische\nkracht\n\nGemeentelijke\ninzet\n\nKrachtige\narbeidsmarkt\n\n"
            r"(?:• .*\n)+",
            re.M,
        ),
        re.compile(r"^IndividuStructuur\n\nWeefsel\n\nOpgave$", re.M),
    ],
}


def squash(text: str) -> str:
    """Light normalisation for comparing: NFKC, straight quotes, lowercase, and no whitespace
    or hyphens at all (so rejoined words and reflowed lines compare equal)."""
    text = unicodedata.normalize("NFKC", text).translate(str.maketrans("‘’“”", "''\"\""))
    return re.sub(r"[\s\-\u00ad]+", "", text).lower()


def reference_text(name: str) -> str:
    text = re.sub(r"[ \t]+$", "", seed(name), flags=re.M)
    for pattern in SEED_NOISE.get(name, []):
        text, count = pattern.subn("", text)
        assert count, f"noise pattern no longer matches {name}: {pattern.pattern}"
    return text


@pytest.mark.parametrize("name", DOCS)
def test_every_sentence_survives_cleaning(name):
    reference = reference_text(name)
    cleaned = squash(" ".join(p.text for p in clean_pages([Page(None, seed(name))])))
    sentences = [squash(s) for s in re.split(r"(?<=[.!?])\s+", reference) if squash(s)]
    assert len(sentences) > 10
    missing, position = [], 0
    for sentence in sentences:
        found = cleaned.find(sentence, position)
        if found < 0:
            missing.append(sentence)
        else:
            position = found + len(sentence)
    assert not missing, f"{len(missing)} sentences lost or out of order, first: {missing[0][:120]}"
    assert cleaned == squash(reference), "cleaning added or kept text that is not in the reference"


@pytest.mark.parametrize("name", DOCS)
def test_noise_is_gone(name):
    paragraphs = clean_pages([Page(None, seed(name))])
    text = "\n".join(p.text for p in paragraphs)
    for needle in (
        "Missing media-item",
        "PRAATPLAAT",
        "portretfoto",
        "Hoofdstuk 2. Een routekaart",
        "spam submissions",
        "pagina interessant",
        "Mooie agenda",
        "hop-on",
        "IndividuStructuur",
        "\f",
        "\u2060",
    ):
        assert needle not in text
    assert all(p.text and p.text == p.text.strip() for p in paragraphs)
    assert all("  " not in p.text for p in paragraphs)
    assert not any(p.text in ("Contact", "Links en documenten") for p in paragraphs)


def test_report_contents_list_and_figure_words_are_gone():
    paragraphs = [p.text for p in clean_pages([Page(None, seed("vng-denktank-jaarbericht-2018"))])]
    assert paragraphs[-1] == "Den Haag, juni 2018"
    for word in ("Overheid", "Burgers", "Onderwijs", "Weefsel", "Opgave", "• Bedrijven", "Colofon"):
        assert word not in paragraphs
    captions = [p for p in paragraphs if p.startswith("Figuur")]
    assert len(captions) == 5 and captions[0] == "Figuur 1: vier typen overheidssturing"


def test_report_structure_markers_are_paragraphs_of_their_own():
    paragraphs = clean_pages([Page(None, seed("vng-denktank-jaarbericht-2018"))])
    texts_ = [p.text for p in paragraphs]
    assert texts_.count("Een verhaal") == 8 and texts_.count("Twee verhalen") == 2
    assert texts_.count("Uit het onderzoek") == 10 and texts_.count("Een handreiking") == 10
    for heading in (
        "Voorwoord",
        "I",
        "III",
        "IV",
        "Leeswijzer",
        "DOE RECHT AAN WAT ER IS",
        "Fred Paling, voorzitter Raad van Bestuur UWV",
        "(over het belang van feiten en data)",
        "10. Geef het voorbeeld",
        "3. Denk domein-overschrijdend",
    ):
        assert heading in texts_
    assert {p.page for p in paragraphs if p.text == "Een verhaal"} == {None}
    assert [p for p in paragraphs if p.text == "10 Geef het voorbeeld"] == [
        Paragraph("10 Geef het voorbeeld", 67)
    ]


@pytest.mark.parametrize("name", DOCS)
def test_cleaning_clean_text_changes_nothing(name):
    once = clean_pages([Page(None, seed(name))])
    rendered = "\n\n".join(p.text for p in once)
    assert [p.text for p in clean_pages([Page(None, rendered)])] == [p.text for p in once]


@pytest.mark.parametrize("name", DOCS)
def test_golden_paragraphs(name):
    paragraphs = clean_pages([Page(None, seed(name))])
    actual = "".join(f"[{p.page}] {p.text}\n" for p in paragraphs)
    golden = GOLDEN / f"{name}.txt"
    if os.environ.get("REGIOWIJZER_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def test_cleaning_the_corpus_is_fast():
    documents = [seed(name) for name in DOCS]
    start = time.perf_counter()
    for text in documents:
        clean_pages([Page(None, text)])
    assert time.perf_counter() - start < 1.0


# --- properties -------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [*"abcEFG fi-\n\t•.:?'\"()0123456789\f\r\u00ad\u00a0\u2019ﬁ", "\n\n", "  ", "-\n", "10\n"]
    + ["Missing media-item.", "[hier foto\n\nvan]", "Hoofdstuk 1 12", "\tInhoud", "Figuur 1"]
    + ["Een verhaal", "DOE RECHT", "(p. 3)", "(over data)", "naBeScHouwing", "Contact"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=60).map("".join), max_size=4), st.booleans())
def test_clean_pages_never_raises_nor_yields_empty_paragraphs(page_texts, numbered):
    pages = [Page(i + 1 if numbered else None, text) for i, text in enumerate(page_texts)]
    for paragraph in clean_pages(pages):
        assert paragraph.text and paragraph.text == paragraph.text.strip()
        assert "\f" not in paragraph.text and "\u2060" not in paragraph.text
        assert paragraph.page is None or isinstance(paragraph.page, int)
