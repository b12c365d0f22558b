"""The answers eval's bank rows: how often the short answer quotes the gold without the question
bank (same index, same composer, the bank's field, lift and spans off), and the paired bootstrap
interval of the difference with the shipped answer."""

from __future__ import annotations

from collections.abc import Sequence

from evals.metrics import paired_bootstrap


def assistant_without_bank(assistant):
    """The same assistant with a retriever that ignores the bank."""
    from assistant.retrieval.hybrid import HybridRetriever
    from assistant.service import Assistant

    retriever = assistant.retriever
    plain = HybridRetriever(retriever.index, retriever.embedder,
                            config=retriever.config.with_(bank=False, bank_field_weight=0.0),
                            cross_encoder=retriever.cross_encoder)
    return Assistant(plain, assistant.context, abstain_below=assistant.abstain_below,
                     caution_below=assistant.caution_below)


def short_gold(ask, queries: Sequence, gold: dict[str, list[str]]) -> dict[str, bool]:
    """Per answerable question: does the Kort antwoord quote one of its gold quotes?"""
    from evals.answers import quotes_gold

    out = {}
    for q in queries:
        if q.answerable and gold.get(q.id):
            answer = ask(q.text, mode="vraag")
            summary = [p.text for p in answer.summary] if not answer.abstained else []
            out[q.id] = quotes_gold([" ".join(summary)], gold[q.id])
    return out


def format_bank_difference(split: str, ours: dict[str, bool], without: dict[str, bool]) -> str:
    ids = sorted(set(ours) & set(without))
    diff, low, high = paired_bootstrap([float(ours[i]) for i in ids], [float(without[i]) for i in ids])
    share = sum(without[i] for i in ids) / len(ids) if ids else 0.0
    return (f"- {split}: kort antwoord citeert het bewijs zonder vragenbank {share:.2f}; met bank "
            f"{diff:+.2f} [{low:+.2f}, {high:+.2f}] (gepaarde bootstrap, 95%-interval)")
