"""The assistant facade the CLI and the app share: open the index and model once, then answer.

`composer` is the seam for answer composition (`assistant.compose.composer.Composer`): the
extractive composer by default, a language-model one when `make_composer` builds it from the settings.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import replace

from assistant import audit
from assistant.compose.answer import MODES, Answer, join_notices
from assistant.compose.composer import Composer, ExtractiveComposer
from assistant.compose.context import ComposerContext, build_context
from assistant.compose.evidence import gather_evidence
from assistant.compose.extractive import ComposeOptions
from assistant.compose.followup import condense, is_followup
from assistant.compose.kind import ROUTE_KINDS, question_kind
from assistant.retrieval.confidence import ABSTAIN_BELOW, CAUTION_BELOW
from assistant.retrieval.hybrid import Filters
from assistant.retrieval.user_text import strip_invisible

MAX_QUESTION_CHARS = 1000
ABSTAIN_ENV = "REGIOWIJZER_ABSTAIN_BELOW"


class QuestionError(ValueError):
    """A question the assistant cannot take; the message is Dutch and meant for the user."""


def clean_question(question: str | None) -> tuple[str, str | None]:
    """The question as searched, and a notice when it had to be shortened."""
    if question is not None and not isinstance(question, str):
        raise QuestionError("Stel een vraag: de vraag moet tekst zijn.")
    text = " ".join(strip_invisible(question or "").split())
    if not text:
        raise QuestionError("Stel een vraag: de vraag is leeg.")
    if len(text) > MAX_QUESTION_CHARS:
        cut = text[:MAX_QUESTION_CHARS].rsplit(" ", 1)[0] or text[:MAX_QUESTION_CHARS]
        return cut, (f"De vraag was erg lang ({len(text):,} tekens); alleen de eerste "
                     f"{len(cut):,} tekens zijn gebruikt.").replace(",", ".")
    return text, None


def check_mode(mode: object) -> str:
    if mode not in MODES:
        raise QuestionError(f"Onbekende modus '{mode}'; kies uit: {', '.join(MODES)}.")
    return mode


def check_filters(filters: Filters, kinds: Collection[str] | None = None,
                  doc_ids: Collection[str] | None = None, steps: Collection[int] = range(1, 6)) -> Filters:
    """The filters when each value exists (in the index, where `kinds`/`doc_ids` are given)."""
    for step in filters.steps:
        if step not in steps:
            raise QuestionError(f"Onbekende stap '{step}'; kies een stap van 1 tot en met 5.")
    for kind in filters.kinds:
        if kinds is not None and kind not in kinds:
            raise QuestionError(f"Onbekende soort document '{kind}'; kies uit: "
                                f"{', '.join(sorted(kinds)) or '(geen)'}.")
    for doc in filters.doc_ids:
        if doc_ids is not None and doc not in doc_ids:
            raise QuestionError(f"Onbekend document '{doc}'; kies een document uit de lijst "
                                "(regiowijzer info toont de documenten).")
    return filters


def parse_filters(kinds=None, steps=None, docs=None) -> Filters:
    """Filters from loosely typed input (an API client's JSON); Dutch errors for bad values."""
    def strings(values, what: str) -> tuple[str, ...]:
        values = [] if values is None else [values] if isinstance(values, str) else values
        if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) for v in values):
            raise QuestionError(f"Ongeldig filter op {what}: geef een lijst met namen.")
        return tuple(values)

    numbers = []
    for step in strings([str(s) for s in steps] if isinstance(steps, (list, tuple)) else steps,
                        "stap"):
        if not step.strip().isdigit():
            raise QuestionError(f"Onbekende stap '{step}'; kies een stap van 1 tot en met 5.")
        numbers.append(int(step))
    return Filters(kinds=strings(kinds, "soort document"), steps=tuple(numbers),
                   doc_ids=strings(docs, "document"))


class CachedQueryEmbedder:
    """Wraps an embedder so the per-step searches of one question embed it only once; the
    most recently used `size` query vectors are kept."""

    def __init__(self, embedder, size: int = 256) -> None:
        self._embedder = embedder
        self._size = size
        self._cache: OrderedDict[tuple[str, str], object] = OrderedDict()
        self._lock = threading.Lock()

    def __getattr__(self, name):
        return getattr(self._embedder, name)

    def embed_query(self, text: str):
        return self._cached("query", text, self._embedder.embed_query)

    def embed_query_plain(self, text: str):
        plain = getattr(self._embedder, "embed_query_plain", None)
        if plain is None:
            raise AttributeError("embed_query_plain")
        return self._cached("plain", text, plain)

    def _cached(self, kind: str, text: str, embed):
        key = (kind, text)
        with self._lock:
            vector = self._cache.get(key)
            if vector is not None:
                self._cache.move_to_end(key)
        if vector is None:
            vector = embed(text)
            with self._lock:
                self._cache[key] = vector
                while len(self._cache) > self._size:
                    self._cache.popitem(last=False)
        return vector


def abstain_threshold(env: dict[str, str] | None = None,
                      default: float | None = ABSTAIN_BELOW) -> float | None:
    """REGIOWIJZER_ABSTAIN_BELOW when set to a number, else `default`."""
    env = os.environ if env is None else env
    raw = env.get(ABSTAIN_ENV)
    try:
        return float(raw) if raw else default
    except ValueError:
        return default


def said_in(answer: Answer) -> frozenset[str]:
    """The source sentences an answer quoted (every section), for a follow-up to avoid."""
    return frozenset(p.text for p in answer.all_points() if p.origin == "source")


class Assistant:
    def __init__(self, retriever, context: ComposerContext, *, abstain_below: float | None = None,
                 caution_below: float | None = None,
                 composer: Composer | None = None, regions=None, corpus_dir=None) -> None:
        """Thresholds left out are the retriever's own (on the scale of the confidence signal it
        gives: the sentence cosine's for a calibrated model), else confidence.py's."""
        self.retriever = retriever
        self.context = context
        own = getattr(retriever, "thresholds", lambda: None)() or (ABSTAIN_BELOW, CAUTION_BELOW)
        self.abstain_below = own[0] if abstain_below is None else abstain_below
        self.caution_below = own[1] if caution_below is None else caution_below
        self.composer: Composer = composer or ExtractiveComposer()
        self._known: tuple[set[str], set[str]] | None = None
        self._regions = regions  # a RegionBook; built on first use from the index and corpus
        self._corpus_dir = corpus_dir

    @property
    def regions(self):
        """Region names and the passages about them (assistant.compose.region_profile)."""
        if self._regions is None:
            from assistant.compose.region_profile import RegionBook

            passages = getattr(getattr(self.retriever, "index", None), "passages", ())
            self._regions = RegionBook.load(self.context.routekaart, passages, self._corpus_dir)
        return self._regions

    @classmethod
    def from_settings(cls, settings, embedder=None, **kwargs) -> Assistant:
        """Open the index and the embedding model once; `embedder` reuses a loaded model."""
        from pathlib import Path

        from assistant.retrieval.hybrid import HybridRetriever
        from ingest.index.embedders import make_embedder
        from ingest.index.reader import open_index

        if embedder is None:
            embedder = make_embedder(settings)
        index = open_index(settings, embedder.identity)
        corpus = Path(index.manifest.corpus_dir) if index.manifest.corpus_dir else None
        if corpus is None or not corpus.is_dir():
            corpus = settings.corpus_dir
        from assistant.retrieval.cross_encoder import reranker_from

        retriever = HybridRetriever(index, CachedQueryEmbedder(embedder),
                                    cross_encoder=reranker_from(settings))
        kwargs.setdefault("abstain_below", abstain_threshold(default=None))  # None: the retriever's
        kwargs.setdefault("corpus_dir", corpus)
        return cls(retriever, build_context(index, corpus), **kwargs)

    def warm_up(self) -> None:
        """Load the model and caches before the first user waits for them."""
        self.retriever.search("regionale samenwerking", k=1)

    def known(self) -> tuple[set[str], set[str]]:
        """The kinds and document ids in the open index (what filters may name)."""
        if self._known is None:
            passages = getattr(getattr(self.retriever, "index", None), "passages", [])
            self._known = ({p.kind for p in passages}, {p.doc_id for p in passages})
        return self._known

    def ask(self, question: str, mode: str = "vraag", history: Sequence[str] = (),
            filters: Filters | None = None, notice: str | None = None,
            use_model: bool = True, region: str | None = None,
            earlier: Sequence[Answer] = ()) -> Answer:
        """`region`: the asker's region from their settings; one named in the question (or, for
        a follow-up, in an earlier question) wins. `earlier`: the conversation's earlier answers
        where the caller keeps them (the app); a follow-up then leads with what none of them
        said. Without them the answer to the last earlier question is composed again."""
        start = time.perf_counter()
        composer = self.composer if use_model else ExtractiveComposer()
        evidence, options, text = self._prepare(question, mode, history, filters, notice, composer,
                                                region, earlier=earlier)
        answer = composer.compose(evidence, mode, self.context, options, text)
        return self._finish(answer, start, history)

    def ask_stream(self, question: str, mode: str = "vraag", history: Sequence[str] = (),
                   filters: Filters | None = None, notice: str | None = None,
                   use_model: bool = True, region: str | None = None,
                   earlier: Sequence[Answer] = ()) -> Iterator[str | Answer]:
        """Text deltas while a language model writes, then the finished Answer (for the UI).

        Without a model (or with use_model=False) it yields only the Answer. If the stream
        breaks off, the final Answer is the extractive one with a notice, replacing whatever
        text was shown."""
        start = time.perf_counter()
        composer = self.composer if use_model else ExtractiveComposer()
        evidence, options, text = self._prepare(question, mode, history, filters, notice, composer,
                                                region, earlier=earlier)
        for part in composer.stream(evidence, mode, self.context, options, text):
            yield self._finish(part, start, history) if isinstance(part, Answer) else part

    def _earlier_said(self, history: Sequence[str], mode: str, filters: Filters,
                      region: str | None) -> frozenset[str]:
        """The source sentences the answer to the last earlier question showed (recomposed
        extractively: the same evidence gives the same answer), so a follow-up leads with
        something new."""
        try:
            evidence, options, text = self._prepare(history[-1], mode, history[:-1], filters,
                                                    None, ExtractiveComposer(), region,
                                                    follow_on=False)
        except QuestionError:
            return frozenset()
        return said_in(ExtractiveComposer().compose(evidence, mode, self.context, options, text))

    def _prepare(self, question, mode, history, filters, notice, composer, region=None,
                 follow_on: bool = True, earlier: Sequence[Answer] = ()):
        check_mode(mode)
        text, shortened = clean_question(question)
        kinds, doc_ids = self.known()
        filters = check_filters(filters or Filters(), kinds, doc_ids)
        scope, searched, history, region_notice = self._region(text, history, region)
        condensed = condense(list(history), searched)
        query = (composer.condense(history, text) if history else None) or condensed.query
        if condensed.focus_step and not filters.steps:
            filters = replace(filters, steps=(condensed.focus_step,))
        followup = bool(history) and is_followup(text)
        kind = question_kind(text, followup=followup, region=scope is not None)
        per_step = mode != "vraag" or kind in ROUTE_KINDS or followup
        evidence = gather_evidence(self.retriever, query, filters, per_step=per_step,
                                   k=30 if condensed.want_examples else 20)
        notices = join_notices(shortened, region_notice, notice)
        said_before = frozenset()
        if follow_on and history and is_followup(text):
            said_before = (frozenset().union(*map(said_in, earlier)) if earlier
                           else self._earlier_said(history, mode, filters, region))
        options = ComposeOptions(said_before=said_before, want_examples=condensed.want_examples,
                                 followup=followup,
                                 focus_step=condensed.focus_step,
                                 abstain_below=self.abstain_below, caution_below=self.caution_below,
                                 notice=notices, region=scope)
        return evidence, options, text

    def _region(self, text: str, history: Sequence[str], region: str | None):
        """(scope, question without its region phrase, history likewise, notice): a region named
        in the question wins, then one named earlier in the conversation, then the setting."""
        from assistant.compose.region_profile import region_for

        return region_for(self.regions, text, history, region)

    def bank_rows(self) -> list:
        bank = getattr(getattr(self.retriever, "index", None), "bank", None)
        return bank.rows if bank is not None else []

    def related(self, answer: Answer, history: Sequence[str] = ()) -> list[str]:
        """Up to three bank questions about the passages the answer cites, not asked yet."""
        if answer.abstained:
            return []
        from assistant.compose.related import related_questions

        cited = [c.passage.id for c in sorted(answer.citations, key=lambda c: c.n)]
        return related_questions(self.bank_rows(), cited, [*history, answer.question])

    def example_questions(self, persona: str, n: int = 4) -> list[str]:
        """The start screen's example questions for a persona, from the question bank."""
        from assistant.compose.related import example_questions

        return example_questions(self.bank_rows(), persona, n)

    def _finish(self, answer: Answer, start: float, history: Sequence[str] = ()) -> Answer:
        from assistant.present.markdown import to_markdown

        answer.related = self.related(answer, history)
        answer.meta["markdown"] = to_markdown(answer)
        answer.meta["ms"] = f"{(time.perf_counter() - start) * 1000:.1f}"
        audit.record(answer)  # off unless REGIOWIJZER_AUDIT_LOG is set
        return answer
