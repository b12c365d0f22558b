"""The kind of question, read from the question itself: it decides the answer's shape.

definitie ("wat is weefsel?"), lijst ("welke tien regio's …"), feit ("hoeveel …", "is onze regio
onderzocht?"), aanpak ("hoe pakken we … aan?"), voorbeeld ("geef een voorbeeld"), vergelijking
("wat is het verschil tussen …"), regio (the asker's own region) and vervolg (a follow-up,
which keeps the shape its own words ask for). Rules on the question's last sentence, first match
wins; a keyword query without a question word is answered as a fact.
"""

from __future__ import annotations

import re

from ingest.index.dutch import fold

KINDS = ("definitie", "lijst", "feit", "aanpak", "voorbeeld", "vergelijking", "regio", "vervolg")

# Kinds whose answer walks the route map (the steps with evidence); the others are answered by
# their lead, with only what belongs to that kind around it.
ROUTE_KINDS = frozenset({"aanpak", "regio"})

_OPENER = re.compile(r"^(?:en|maar|dus|ok[eé]?|goed|oke|nou)[,]?\s+")
_COMPARE = re.compile(r"\b(?:verschil\w*|verschillen|vergelijk\w*|versus|vs\.?|anders dan|overeenkomst\w*"
                      r"|tegenover|onderscheid tussen|of juist)\b")
_EXAMPLE = re.compile(r"\b(?:voorbeeld\w*|casus\w*|praktijkvoorbeeld\w*|ervaring\w*|goede praktijk\w*"
                      r"|waar (?:is|werkt|lukt)|hoe doen andere|welke regio'?s? (?:heeft|hebben|doet|doen)"
                      r"|in de praktijk)\b")
_COUNT = r"(?:twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|\d+)"
_LIST = re.compile(
    rf"^(?:wat zijn de {{_COUNT}}\b|noem (?:de|alle|een paar)\b|som .* op\b)"
    rf"|\bwelke {_COUNT}\b|\bde {_COUNT} (?!jaar)\w+|\bwelke (?:tips|vuistregels|vaardigheden|gedragingen"
    r"|doelgroepen|stappen|wegwijzers|regio'?s|perspectieven|partijen|onderdelen|factoren|elementen"
    r"|voorwaarden|kwadranten|rollen|fasen|thema'?s|lessen|valkuilen|principes|kenmerken|spelers"
    r"|actoren|instrumenten|bouwstenen)\b|\buit welke .* bestaat\b|\b(?:op een rij|opsomming)\b"
    r"|\been paar (?:tips|vuistregels|lessen)\b")
_DEFINITION = re.compile(
    r"^(?:wat (?:betekent|betekenen|bedoelt? (?:men|je|u|de denktank|het rapport)? ?met|verstaan"
    r" (?:we|ze|jullie|de bronnen)? ?onder|houdt .* in)|waar staat .* voor|definieer|definitie van"
    r"|leg .*uit wat|wat .* inhoudt$|wat wordt (?:er )?bedoeld met|wat (?:is|zijn) (?:een |de |het )?"
    r"(?:\S+\s?){1,4}$)")
_NOT_DEFINED = re.compile(r"^wat (?:betekent|betekenen|is|zijn) (?:dat|dit|het)(?: voor\b|$)"
                          r"|\bvoor (?:de|ons|onze|mij|u)\b"
                          r"|\b(?:rol|taak|taken|doel|bedoeling|belang|beste|nodig|verschil|reden"
                          r"|manier|aanpak|probleem|opgave van|rol van)\b")
_FACT = re.compile(r"^(?:hoeveel|wie|wanneer|sinds wanneer|hoe (?:hoog|lang|vaak|groot|veel)\b"
                   r"|klopt (?:dat|dit)|wat (?:is|zijn|was) volgens"
                   r"|welke? \S+ (?:krijgt|heeft|is|was|geeft)\b"
                   r"|in welk(?:e)? jaar|welk(?:e)? (?:organisatie|gemeente"
                   r"|provincie|jaar|percentage|bedrag)|waar (?:ligt|zit|komt)|klopt het|is het waar"
                   r"|waarom|(?:is|zijn|heeft|hebben|wordt|worden|was|waren|staat|staan|komt|doet)\s)")
_QUESTION_WORD = re.compile(r"^(?:hoe|hoeveel|sinds|klopt|wat|welk|welke|waarom|wanneer|wie|waar|kan"
                            r"|kunnen|moet"
                            r"|moeten|mag|mogen|is|zijn|heeft|hebben|geef|noem|leg|vertel)\b")
_OWN_REGION = re.compile(r"\b(?:onze|mijn|ons|eigen) (?:regio|arbeidsmarktregio|gemeente|provincie)\b")


def question_sentence(question: str) -> str:
    """The sentence that asks: the last one ending in '?', else the last one; folded."""
    text = " ".join(question.split())
    parts = [p for p in re.split(r"(?<=[.?!])\s+", text) if p.strip()]
    asked = [p for p in parts if p.rstrip().endswith("?")]
    sentence = (asked or parts or [""])[-1]
    q = _OPENER.sub("", fold(sentence).strip().lstrip("¿¡'\" ")).rstrip("?!. ")
    tail = q.rsplit(": ", 1)[-1]  # "ik schrijf een notitie: hoe …"
    return tail if _QUESTION_WORD.search(tail) else q


def question_kind(question: str, *, followup: bool = False, region: bool = False) -> str:
    """The kind of question (one of KINDS). `followup`: it leans on the conversation; `region`:
    the asker named a region (in the question or the setting)."""
    if followup:
        return "vervolg"
    kind = own_kind(question)
    if region and kind in ("aanpak", "feit") and (_OWN_REGION.search(fold(question)) or kind == "aanpak"):
        return "regio"
    return kind


_WHICH_ARE_THEY = re.compile(r"^(?:welke|wat) (?:zijn|waren) (?:het|dat|dit|die|ze)$")


def own_kind(question: str) -> str:
    """The kind by the question's own words (what a follow-up's shape follows)."""
    q = question_sentence(question)
    if _WHICH_ARE_THEY.search(q):  # "Ik wil de tien wegwijzers op een flap zetten. Welke zijn het?"
        q = fold(" ".join(question.split())).rstrip("?!. ")
    if _COMPARE.search(q):
        return "vergelijking"
    if _LIST.search(q):
        return "lijst"
    if _DEFINITION.search(q) and not _NOT_DEFINED.search(q):
        return "definitie"
    if _EXAMPLE.search(q):
        return "voorbeeld"
    if _OWN_REGION.search(fold(question)) and re.search(r"\b(?:onderzocht|genoemd|meegenomen|voor)\b", q):
        return "regio"
    if _FACT.search(q):
        return "feit"
    if not _QUESTION_WORD.search(q) and not question.rstrip().endswith("?"):
        return "feit"  # a keyword query: its lead answers it
    return "aanpak"


def shape_kind(kind: str, question: str) -> str:
    """The kind whose shape the answer takes: a follow-up takes its own words' kind."""
    return own_kind(question) if kind == "vervolg" else kind
