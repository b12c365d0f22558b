"""Does a sentence stand on its own? Pure tests on its opening words.

A quoted claim *dangles* when it points to something the reader was not shown: it opens by
leaning on what came before ("Daarom …", "Dat betekent …", "Hierbij …", "Ook dan …", "Zo …",
"Om deze vragen …", "Hij …"), or it refers to a figure or table ("onderstaande figuur",
"zie tabel 2"). The composer quotes a leaning sentence together with the sentence it leans on,
or not at all, and never quotes a figure reference; the answer eval counts what still dangles.
"""

from __future__ import annotations

import re

from ingest.index.dutch import fold

_SUFFIXES = (r"(?:om|door|mee|bij|in|voor|op|na|naast|uit|over|van|aan|tegen|toe|onder|achter"
             r"|binnen|buiten|tussen|langs|zonder|entegen|enboven|omtrent)")
# Pronominal adverbs: "daarom", "hierbij", "waarmee" (a relative clause cut loose).
_PRONOMINAL = re.compile(rf"^(?:(?:daar|hier){_SUFFIXES}?|waar{_SUFFIXES})$")
# Compound forms that lean back wherever they sit in the opening ("Het is daarom belangrijk").
_PRONOMINAL_INSIDE = re.compile(rf"^(?:daar|hier){_SUFFIXES}$")
# Connectives that continue an argument: "Zo groeit vertrouwen", "Bovendien …", "Ook …".
_CONNECTIVES = frozenset("""
zo zo'n dan dus toch bovendien tevens eveneens evenmin echter vervolgens verder ook zodoende
aldus vandaar ondertussen intussen immers daarentegen wederom opnieuw evenzo
en maar want kortom samengevat
""".split())
# Openers of several words that continue an argument: "Tot slot", "Met andere woorden".
_CONTINUING = re.compile(r"^(?:tot slot|met andere woorden"
                         r"|(?:of )?(?:kort|scherper|anders|eenvoudiger) gezegd|of beter nog"
                         r"|aan de andere kant|aan de ene kant|in dat geval|op die manier"
                         r"|net als|deels omdat)\b")
_DEMONSTRATIVES = frozenset("dat dit die deze zulke zulk dergelijke zoiets".split())
_PRONOUNS = frozenset("hij zij ze hun hen".split())
_PREPOSITIONS = frozenset("""
om in met bij op voor door na vanuit uit aan naar over tegen tot onder volgens ondanks zonder
tijdens binnen buiten naast tussen vanwege dankzij rond rondom zoals
""".split())
OPENING_WORDS = 4  # a pronominal adverb this early still leans on the previous sentence

_FIGURE = re.compile(
    r"\b(?:onderstaand|bovenstaand|hieronder|hierboven|hiernaast)\w*"
    r"|\b(?:figuur|figuren|tabel|tabellen|afbeelding|grafiek|kader|bijlage)\s+\d"
    r"|\b(?:figuur|figuren|tabel|tabellen|afbeelding|grafiek|illustratie|infographic)\b"
    r"(?=[^.]*\b(?:ziet|zien|toont|tonen|laat|staat|staan|weergegeven|geeft|geven)\b)"
    r"|\b(?:de|het|deze|die|onze)\s+(?:figuur|tabel|afbeelding|grafiek|illustratie|infographic"
    r"|plaatje)\b|\bzie\s+(?:ook\s+)?(?:figuur|tabel|bijlage|kader|pagina|hoofdstuk|paragraaf)\b")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def _opening(text: str, n: int = OPENING_WORDS) -> list[str]:
    return _WORD.findall(fold(text))[:n]


def figure_reference(text: str) -> bool:
    """True when the sentence refers to a figure, table or picture the reader does not see."""
    return bool(_FIGURE.search(fold(text)))


def leans_back(text: str) -> str | None:
    """The opening word(s) by which a sentence leans on its predecessor, or None.

    >>> leans_back("Daarom is het goed om klein te beginnen.")
    'daarom'
    """
    words = _opening(text)
    if not words:
        return None
    first = words[0]
    opening = " ".join(words)
    if _CONTINUING.match(opening):
        return _CONTINUING.match(opening).group(0)
    if _PRONOMINAL.match(first) or first in _CONNECTIVES or first in _PRONOUNS:
        return first
    if first in _DEMONSTRATIVES:
        return first
    if first in _PREPOSITIONS and len(words) > 1 and words[1] in _DEMONSTRATIVES:
        return f"{first} {words[1]}"  # "Om deze vragen …", "In dit verband …"
    for word in words[1:]:
        if _PRONOMINAL_INSIDE.match(word):
            return word  # "Het is daarom belangrijk …", "Het model is daarbij een hulpmiddel."
    return None


def dangling_reason(text: str) -> str | None:
    """Why a quoted claim points to something not shown ('figuur', or the leaning opener)."""
    if figure_reference(text):
        return "figuur"
    return leans_back(text)


def dangles(text: str) -> bool:
    return dangling_reason(text) is not None
