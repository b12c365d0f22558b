"""The "In uw regio" section: what the sources say about the asker's region, its municipalities
or its province, quoted and cited; and where they say nothing, that plainly, with the closest
comparable cases from the sources (the same province, else the report's ten studied regions).

Also the region's mark on the other modes: a Notitie's Aanleiding names it, and a worksheet asks
the group to place their own region in the quadrant model.

The section is data on the Answer: `answer.region` (the name) and `answer.extras["regio"]` (Points;
"ours" for our own lines, "source" for quoted sentences), so every writer can render it.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.compose.answer import Point
from assistant.compose.region_profile import STUDIED_TEXT, RegionScope, text_pattern
from assistant.compose.select import (
    PASSAGE_WEIGHT,
    RELEVANCE_WEIGHT,
    Candidate,
    mmr_select,
    rank_prior,
    relevance,
)

KEY = "regio"
OWN_MIN_RELEVANCE = 0.1  # share of the question's words a sentence about the region must cover,
COMPARE_MIN_RELEVANCE = 0.2  # a sentence about a comparable case elsewhere,
UNRANKED_RELEVANCE = 0.3  # and either, when the search did not rank its passage at all
MENTION_BONUS = 0.1  # the sentence itself names the place
FRAME_VERBS = ("pakken", "aanpakken", "houden", "houdt", "doen", "doet", "zorgen", "krijgen", "gaan",
               "maken", "regelen", "zitten", "staan", "komen", "weten", "vinden")
LIST_PLACES = 4  # a passage naming more places is a list of regions, not a case
QUADRANT_EXERCISE = "kwadrantenmodel"


def _terms(draft):
    """The question's terms without the verbs that frame it ("hoe pakken we … aan", "hoe houdt
    de raad grip"): rare in the sources, so heavy, but they say nothing about a region's case."""
    frame = {t for w in FRAME_VERBS for t in draft.ctx.query_tokens(w)}
    return [t for t in draft.pool.terms if t.token not in frame] or draft.pool.terms


def _best(draft, passages, names, k: int, min_relevance: float, by_region: bool = False,
          regions: Iterable[str] = ()) -> list[Candidate]:
    """The best sentences of `passages` for the question. A sentence counts when it names the
    place (or comes from a story of that place alone), is about the question, and its passage
    was found by the search (or is plainly about the question by its own words)."""
    ctx, terms = draft.ctx, _terms(draft)
    pattern = text_pattern(list(names))
    folded = {n.casefold() for n in names}
    rank = {h.passage.id: r for r, h in enumerate(draft.pool.evidence.ranked, start=1)}
    scored = []
    for passage in passages:
        if len(passage.places) > LIST_PLACES:
            continue  # a list of regions, not a case
        prior = rank_prior(rank[passage.id]) if passage.id in rank else 0.0
        # a story, or a passage about this place and at most one other: every sentence is about it
        focused = (len(passage.places) <= 2 and any(p.casefold() in folded for p in passage.places)
                   ) or (passage.block == "verhaal" and len(passage.places) <= 2)
        for position, text in enumerate(ctx.sentences(passage)):
            named = bool(pattern and pattern.search(text))
            # a question that names the place still tells about it ("In Zeeland zit de horeca …
            # om personeel te springen en wat blijkt …?"); a lead-in ending in ':' never does
            if text.endswith(":") or len(text.split()) < 6 or (text.endswith("?") and not named):
                continue
            if not (named or focused):
                continue
            tokens = ctx.tokens(text)
            rel = relevance(terms, tokens)
            if rel < min_relevance or (passage.id not in rank and rel < UNRANKED_RELEVANCE):
                continue
            score = RELEVANCE_WEIGHT * rel + PASSAGE_WEIGHT * prior + (MENTION_BONUS if named else 0.0)
            c = Candidate(text=text, passage=passage, rank=rank.get(passage.id, 10_000), hit_score=0.0,
                          position=position, tokens=tokens, prior=prior)
            scored.append((score, c))

    def group(c: Candidate) -> str:
        if not by_region:
            return c.passage.id
        mine = [p for p in c.passage.places if p.casefold() in region_set]
        return mine[0] if mine else c.passage.id

    region_set = {r.casefold() for r in regions}
    # Not `taken`: a sentence already quoted elsewhere in the answer is still what the sources
    # say about the region, and leaving it out would make the section claim they say nothing.
    return mmr_select(scored, k=k, group=group)


def _compare(draft, passages, names, k: int = 2) -> list[Candidate]:
    """Comparable cases: clearly about the question, else the closest the search found."""
    for floor in (COMPARE_MIN_RELEVANCE, OWN_MIN_RELEVANCE):
        found = _best(draft, passages, names, k=k, min_relevance=floor, by_region=True, regions=names)
        if found:
            return found
    return []


def _studied_line(draft, scope: RegionScope, contrast: bool) -> list[Point]:
    """'De regio Zwolle is een van de tien regio's uit het onderzoek' with the list it is in."""
    profile = scope.profile
    if not profile.studied_self:
        return []
    names = {n.casefold() for n in profile.studied_self}
    listing = max((p for p in scope.own if {x.casefold() for x in p.places} & names),
                  key=lambda p: len(p.places), default=None)
    if listing is None or len(listing.places) < 5:
        return []
    studied = next((n for n in profile.studied_self if n.casefold().startswith("regio ")),
                   profile.studied_self[0])
    name = studied[:1].upper() + studied[1:]
    return [Point(text=f"{name} is {'wel ' if contrast else ''}een van {STUDIED_TEXT}.", origin="ours",
                  citations=[draft.book.cite_text(listing, None)])]


def region_points(draft, scope: RegionScope) -> list[Point]:
    """The section's points: source sentences about the region, or a plain 'nothing', then the
    closest comparable cases."""
    profile = scope.profile
    own = _best(draft, scope.own, profile.own, k=3, min_relevance=OWN_MIN_RELEVANCE)
    if own:
        return _studied_line(draft, scope, contrast=False) + [draft.book.point(c) for c in own]
    studied_line = _studied_line(draft, scope, contrast=False)
    if studied_line:
        points = [*studied_line, Point(text=f"Verder zeggen de bronnen bij deze vraag niets over "
                                            f"{profile.naam}.", origin="ours")]
    else:
        said = "zeggen de bronnen bij deze vraag niets" if scope.own else "zeggen de bronnen niets"
        points = [Point(text=f"Over {profile.naam} {said}.", origin="ours")]
    near = _compare(draft, scope.nearby, profile.nearby)
    if near:
        where = " en ".join(profile.provincies)
        lead = (f"Uit regio's die deels in {where} liggen:" if profile.soort == "provincie"
                else f"Elders in de provincie {where}:")
        points.append(Point(text=lead, origin="ours"))
        return points + [draft.book.point(c) for c in near]
    studied = _compare(draft, scope.studied, profile.studied)
    if studied:
        points.append(Point(text=f"Vergelijkbare gevallen uit {STUDIED_TEXT}:", origin="ours"))
        points += [draft.book.point(c) for c in studied]
    return points


def apply_region(extras: dict[str, list[Point]], draft, scope: RegionScope | None, mode: str,
                 ) -> dict[str, list[Point]]:
    """The mode sections with the region worked in: the section itself, the Aanleiding of a
    Notitie, and the quadrant exercise of a worksheet."""
    if scope is None:
        return extras
    extras = dict(extras)
    extras[KEY] = region_points(draft, scope)
    profile = scope.profile
    where = f"{profile.naam} ({profile.omschrijving})" if profile.omschrijving else profile.naam
    if mode == "notitie":
        extras["aanleiding"] = [*extras.get("aanleiding", []),
                                Point(text=f"De vraag speelt in {where}.", origin="ours")]
    if mode == "gespreksvragen":
        extras["oefening"] = _quadrant_exercise(draft, extras.get("oefening", []), profile.naam)
    return extras


def _quadrant_exercise(draft, current: list[Point], naam: str) -> list[Point]:
    """The quadrant-model exercise, asked for the group's own region."""
    exercise = next((o for o in draft.ctx.routekaart.oefeningen
                     if QUADRANT_EXERCISE in o.titel.lower()), None)
    if exercise is None:
        return current
    lead = (f"Doe deze oefening voor {naam}: waar staat de gemeente in de samenwerking in {naam}, "
            f"en waar zou ze moeten staan?")
    return [Point(text=exercise.titel, origin="template"),
            Point(text=f"{lead}\n{exercise.instructie.strip()}", origin="template")]
