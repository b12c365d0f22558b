"""The retrievers compared in one eval run, each behind the same small interface:
`passages()` -> [(id, doc_id, text)] and `search(question, k)` -> [(id, score)].
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class OurRetriever:
    """Our index in one of its modes (hybrid, dense, lexical)."""

    def __init__(self, label: str, retriever) -> None:
        self.label = label
        self.retriever = retriever

    def passages(self) -> list[tuple[str, str, str]]:
        return [(p.id, p.doc_id, p.text) for p in self.retriever.index.passages]

    def search(self, question: str, k: int) -> list[tuple[str, float]]:
        return [(h.passage.id, h.score) for h in self.retriever.search(question, k=k)]

    def hits(self, question: str, k: int):
        return self.retriever.search(question, k=k)


class LlamaIndexBaseline:
    """Plain llama-index: raw files, its default SentenceSplitter, dense retrieval with the same
    embedding model as ours.

    What a team would get from the tutorial; chunks are built in memory for the run.
    """

    label = "llama-index (SentenceSplitter, dense)"

    def __init__(self, files: Sequence[Path], doc_ids: dict[str, str], embedder) -> None:
        from llama_index.core import Document, Settings, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter

        Settings.llm = None  # retrieval only; an unset LLM would raise
        documents = [
            Document(text=f.read_text(encoding="utf-8"), metadata={"doc_id": doc_ids[f.name]})
            for f in files
        ]
        nodes = SentenceSplitter().get_nodes_from_documents(documents)
        self._nodes = nodes
        self._index = VectorStoreIndex(nodes, embed_model=_llama_embedding(embedder),
                                       show_progress=False)

    def passages(self) -> list[tuple[str, str, str]]:
        return [(n.node_id, n.metadata["doc_id"], n.get_content()) for n in self._nodes]

    def search(self, question: str, k: int) -> list[tuple[str, float]]:
        retriever = self._index.as_retriever(similarity_top_k=k)
        return [(r.node.node_id, float(r.score or 0.0)) for r in retriever.retrieve(question)]


def _llama_embedding(embedder):
    """Our embedder as a llama-index embedding model (the query side uses its query prefix)."""
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from pydantic import PrivateAttr

    class OurEmbedding(BaseEmbedding):
        _embedder: object = PrivateAttr()

        def __init__(self, inner) -> None:
            super().__init__(model_name=inner.name)
            self._embedder = inner

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._embedder.embed_query(query).tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._embedder.embed_passages([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._embedder.embed_passages(texts).tolist()

    return OurEmbedding(embedder)
