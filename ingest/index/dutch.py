"""Dutch text analysis for the lexical (BM25) side of search.

Folding, tokenising, compound splitting and Snowball stemming, so that "regio's",
"arbeidsmarktregio" and "samenwerkingsverband" meet the forms a passage uses.
Pure and deterministic; the only dependency is PyStemmer.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping

ANALYZER_VERSION = 1
STEMMER_ALGORITHM = "dutch"  # Snowball 3 (PyStemmer >= 3): Kraaij-Pohlmann; 2.x meant Porter


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


DUTCH_STOPWORDS: frozenset[str] = _wordset("""
de het een der des den t en of maar want dus noch dat die dit deze er hier daar
ik je jij u gij hij zij ze wij we jullie hen hun hem haar men mij me mijn mijne jouw jou
uw zijn ons onze zich zichzelf elkaar zelf iemand niemand iets niets alles allen iedereen
ieder iedere elk elke alle sommige enkele ander andere anders dezelfde hetzelfde zulk zulke
wat wie welk welke waar waarin waarop waarmee waarvan waardoor waarbij waaraan waarover
waarvoor waarna hoe
ben bent is was waren geweest wees heb hebt heeft hebben had hadden word wordt worden werd
werden geworden kan kun kunt kunnen kon konden zal zult zullen zou zouden moet moeten moest
moesten mag mogen mocht mochten wil wilt willen wilde wilden doe doet doen deed deden gedaan
ga gaat gaan ging gingen gegaan laat laten liet
aan achter af bij binnen boven buiten door in naar na naast om onder op over per rond sinds
te tegen tot tussen uit van vanaf vanuit via volgens voor zonder met tijdens ondanks langs
mee toe heen
als dan toen omdat doordat zodat terwijl indien tenzij hoewel zowel ofwel zoals
al ook niet nog wel nu toch zo zeer erg heel meer meest veel vele minder weinig even eens
reeds steeds altijd nooit soms vaak vaker daarom daarna daarbij daarmee daarvan daardoor
daarin daarop daarover daarvoor hierbij hiermee hiervan hierin hierop hierover hiervoor
erbij ermee ervan erin erop erover ervoor eraan ertoe echter namelijk immers wellicht
misschien zelfs alleen slechts ongeveer bijna juist ja nee geen eerst later pas ergens
weer bijvoorbeeld bv enz etc ca doch wezen
""")

QUERY_FILLER: frozenset[str] = _wordset("""
graag alsjeblieft alstublieft aub svp vertel vertellen vertelt uitleg uitleggen leg geef
geven noem beschrijf beschrijven kun kunt ik mij me mijn net eigenlijk zeggen zegt zeg
staat staan bronnen bron documenten tekst teksten wat hoe welke welk wie waar waarom
wanneer hoeveel weten weet wil willen zou benieuwd informatie info help helpen hulp
overzicht samenvatting kort beknopt precies
""")

# Never compound parts: particles ("samen" + "werking" is one concept, not "samen" and
# "werk"), suffix-like strings ("landelijk" is not land + lijk) and hyphenation leftovers.
_NOT_PARTS = DUTCH_STOPWORDS | _wordset("""
samen mede terug verder heid heden lijk lijke lijks baar bare loos loze zaam zame schap
achtig ling isch ische erij ende ening ering tjes ties lende telijk telijke
""")
# Words that may start a compound but not end one: belang+rijk, waarde+ring, stand+aard.
_NOT_LAST = _wordset("rijk rijke ring aard")

_LINKERS = ("s", "e", "en")
_QUERY_DROP = DUTCH_STOPWORDS | QUERY_FILLER

# Common words of the domain, so splitting works when a part only occurs inside compounds
# ("samenwerkingsverband" with no "verband" on its own in the corpus).
SEED_VOCABULARY: frozenset[str] = _wordset("""
arbeid markt regio werk werken werking werkgever werkgevers werknemer werknemers
werkzoekende werkzoekenden dienst diensten verlening dienstverlening samenwerking verband
gemeente gemeenten raad beleid onderwijs instelling instellingen bedrijf bedrijven leven
overheid provincie plan plannen agenda programma project netwerk aanpak opgave economie
zorg welzijn jeugd wet wetten geld budget middelen fonds subsidie uitvoering organisatie
structuur bestuur bestuurder wethouder college burger burgers inwoner inwoners sector
sectoren branche scholing opleiding opleidingen kennis innovatie vraag aanbod baan banen
vacature vacatures personeel tekort keten partner partners partij partijen overleg akkoord
afspraak afspraken doel doelen doelgroep groep taak taken visie strategie regie centrum
punt loket huis model helix domein gebied terrein niveau schaal grens land stad kracht
kwaliteit resultaat resultaten prestatie indicator indicatoren monitor informatie
ontwikkeling transitie verandering mobiliteit inclusie participatie integratie uitkering
inkomen armoede schulden wonen vervoer verkeer techniek haven industrie logistiek energie
denken tank leren gesprek handreiking jaar bericht team advies begeleiding bemiddeling
perspectief toekomst kans kansen recht regels regeling kader zaken
""")

_APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u2018`\u00b4\u02bc\u2032"})
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u00ad": None})
_CLITIC = re.compile(r"(?<=[^\W_])'(?:s|ers?|tjes?)\b")  # regio's, kpi's, zzp'ers
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")

# Overrides for Snowball's "ge-" stripping where it merges unrelated words that matter
# here: gemeente/gemeenten -> "meen" (= mening, menen), gebied -> "bied" (= bieden).
_STEM_OVERRIDES = {
    "gemeente": "gemeente", "gemeenten": "gemeente", "gemeentes": "gemeente",
    "gebied": "gebied", "gebieden": "gebied",
}
_STEMMER_PROBE = ("mening", "samenwerkingen", "organisaties", "bedrijven", "gewerkt", "werkgevers")


def fold(text: str) -> str:
    """Lowercase, strip diacritics (één -> een) and unify apostrophes and hyphens."""
    text = text.translate(_APOSTROPHES).translate(_HYPHENS)
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def _word_groups(text: str) -> list[list[str]]:
    """One group per written word: [word] or, if hyphenated, its parts plus the joined form."""
    groups = []
    for match in _WORD.finditer(_CLITIC.sub("", fold(text))):
        parts = [p for p in match.group().split("-") if len(p) > 1 or p.isdigit()]
        if "-" in match.group():
            parts.append(match.group().replace("-", ""))
        if parts:
            groups.append(list(dict.fromkeys(parts)))
    return groups


def words(text: str) -> list[str]:
    """Folded word tokens; single letters are dropped, numbers kept."""
    return [w for group in _word_groups(text) for w in group]


def _digest(items: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(items).encode()).hexdigest()[:16]


class CompoundSplitter:
    """Splits Dutch compounds into known words, allowing the linking morphemes s, e, en."""

    _CACHE_LIMIT = 200_000

    def __init__(self, vocabulary: Mapping[str, int], min_part_len: int = 4, min_count: int = 2):
        self.vocabulary = dict(vocabulary)
        self.min_part_len = min_part_len
        self.min_count = min_count
        known = {w: c for w, c in self.vocabulary.items() if c >= min_count}
        for w in SEED_VOCABULARY:
            known[w] = max(known.get(w, 0), min_count)
        self._words = frozenset(known)
        self._known = {
            w: math.log(max(c, 1)) for w, c in known.items()
            if len(w) >= min_part_len and w not in _NOT_PARTS and w.isalpha()
        }
        self._cache: dict[str, tuple[str, ...]] = {}

    @classmethod
    def from_texts(cls, texts: Iterable[str], min_part_len: int = 4, min_count: int = 2):
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(words(text))
        return cls(counts, min_part_len=min_part_len, min_count=min_count)

    def settings(self) -> dict:
        return {
            "min_part_len": self.min_part_len,
            "min_count": self.min_count,
            "seed": _digest(sorted(SEED_VOCABULARY)),
            "vocabulary": _digest(f"{w}\t{c}" for w, c in sorted(self.vocabulary.items())),
        }

    def split(self, word: str) -> list[str]:
        """Parts of a compound, then the parts of those parts; [] if none.

        A plural written without its apostrophe ("regios", "kpis") gives its known singular.
        """
        cached = self._cache.get(word)
        if cached is None:
            plural = len(word) > 3 and word[-1] == "s" and word[-2] in "aiouy"
            result = [word[:-1]] if plural and word[:-1] in self._words else self._best_split(word)
            for part in list(result):
                result.extend(self.split(part))
            if len(self._cache) >= self._CACHE_LIMIT:
                self._cache.clear()
            cached = self._cache[word] = tuple(dict.fromkeys(result))
        return list(cached)

    def _best_split(self, word: str) -> list[str]:
        # Fewest parts wins; ties go to the most frequent parts, then to bare forms.
        n, m = len(word), self.min_part_len
        if n < 2 * m or not word.isalpha():
            return []
        best: dict[int, tuple[tuple[int, float, int], list[str]]] = {0: ((0, 0.0, 0), [])}
        for i in range(n):
            if i not in best:
                continue
            (count, score, chars), parts = best[i]
            for j in range(i + m, n + 1):
                part = word[i:j]
                if part not in self._known or (j == n and (i == 0 or part in _NOT_LAST)):
                    continue
                key = (count + 1, score - self._known[part], chars + len(part))
                ends = [j] + [j + len(k) for k in _LINKERS if word.startswith(k, j)]
                for end in ends:  # a linker needs a part after it
                    if (end == j or end < n) and (end not in best or key < best[end][0]):
                        best[end] = (key, [*parts, part])
        return best[n][1] if n in best else []


class DutchAnalyzer:
    """Turns text into BM25 tokens: fold, words, stopwords, compound parts, stems."""

    def __init__(self, splitter: CompoundSplitter | None = None, stem: bool = True):
        import Stemmer  # PyStemmer; kept local so importing this module stays cheap

        self.splitter = splitter
        self.stem = stem
        # A Stemmer instance keeps state and must not be used by two threads at once.
        self._stemmer = Stemmer.Stemmer(STEMMER_ALGORITHM) if stem else None
        self._lock = threading.Lock()

    def index_tokens(self, text: str) -> list[str]:
        return self._tokens(text, DUTCH_STOPWORDS)

    def query_tokens(self, text: str) -> list[str]:
        return self._tokens(text, _QUERY_DROP)

    def _tokens(self, text: str, drop: frozenset[str]) -> list[str]:
        groups = []
        for group in _word_groups(text):
            kept = [w for w in group if w not in drop]
            if self.splitter:
                kept += [p for w in kept for p in self.splitter.split(w)]
            groups.append(kept)
        stems = self._stem_all([w for g in groups for w in g])
        tokens, k = [], 0
        for group in groups:  # a word and its parts count once per stem, not twice
            tokens.extend(dict.fromkeys(stems[k:k + len(group)]))
            k += len(group)
        return tokens

    def _stem_all(self, ws: list[str]) -> list[str]:
        if self._stemmer is None:
            return ws
        with self._lock:
            raw = self._stemmer.stemWords(ws)
        return [_STEM_OVERRIDES.get(w) or _fix_stem(s, w) for w, s in zip(ws, raw, strict=True)]

    def to_config(self) -> dict:
        """Everything that decides the tokens, so a saved index can be checked on load."""
        return {
            "language": "nl",
            "analyzer_version": ANALYZER_VERSION,
            "stemmer": STEMMER_ALGORITHM if self.stem else None,
            "stemmer_probe": _digest(self._stem_all(list(_STEMMER_PROBE))) if self.stem else None,
            "stopwords": _digest(sorted(DUTCH_STOPWORDS)),
            "query_filler": _digest(sorted(QUERY_FILLER)),
            "splitter": self.splitter.settings() if self.splitter else None,
        }

    @classmethod
    def from_config(cls, config: Mapping, vocabulary: Mapping[str, int] | None = None):
        """Rebuild the analyzer an index was built with; ValueError if this code differs."""
        settings = config.get("splitter")
        splitter = None
        if settings:
            if vocabulary is None:
                raise ValueError("this index splits compounds: pass its vocabulary")
            splitter = CompoundSplitter(vocabulary, settings["min_part_len"], settings["min_count"])
        analyzer = cls(splitter, stem=bool(config.get("stemmer")))
        ours = analyzer.to_config()
        changed = sorted(k for k in ours.keys() | config.keys() if ours.get(k) != config.get(k))
        if changed:
            raise ValueError(f"Dutch analyzer differs from the index in {changed}; rebuild it")
        return analyzer


def _fix_stem(stem: str, word: str) -> str:
    # Snowball's Dutch keeps the -e of many adjectives (kleine, belangrijke); drop it so
    # they meet their base form. An empty stem falls back to the word.
    if len(stem) > 3 and stem.endswith("e") and not stem.endswith("ee"):
        return stem[:-1]
    return stem or word
