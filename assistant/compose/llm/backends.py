"""The language-model seam: `ChatBackend` wraps a llama-index LLM and turns every failure into LLMUnavailable.

llama-index, httpx and the client SDKs are imported here only, inside functions, so the rest of
`assistant.compose.llm` (and the CLI's --help) loads without them.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from assistant.compose.llm.deadline import call_within, first_token_late, stream_within
from assistant.compose.llm.errors import LLMUnavailable
from assistant.compose.llm.settings import LLMSettings

log = logging.getLogger(__name__)
PING_TIMEOUT = 5.0


class Message(NamedTuple):
    role: str  # system | user | assistant
    content: str


def make_llm(settings: LLMSettings) -> Any:
    """A llama-index LLM for the configured backend; contacts nothing until it is used."""
    if settings.backend == "ollama":
        from llama_index.llms.ollama import Ollama

        return Ollama(
            model=settings.model_name, base_url=settings.base_url, temperature=settings.temperature,
            # An explicit context window also stops Ollama from asking /api/show for it.
            context_window=settings.context, request_timeout=settings.timeout,
            is_function_calling_model=False, headers=_auth(settings),
        )
    if settings.backend == "openai":
        import openai.resources  # noqa: F401  (loaded lazily on the first call, ~1 s: do it at start-up)
        from llama_index.llms.openai_like import OpenAILike

        return OpenAILike(
            model=settings.model_name, api_base=settings.base_url,
            # Never fall back to OPENAI_API_KEY: a local server must not receive a hosted key.
            api_key=settings.api_key or "geen-sleutel", is_chat_model=True,
            is_function_calling_model=False, context_window=settings.context,
            timeout=settings.timeout, max_retries=0, temperature=settings.temperature,
        )
    raise ValueError(f"geen taalmodel-backend ingesteld ({settings.backend!r})")


def make_backend(settings: LLMSettings) -> ChatBackend | None:
    """The backend the settings ask for, or None for the extractive composer."""
    return ChatBackend(settings) if settings.enabled else None


class ChatBackend:
    """Chat with one model; `complete` and `stream` return text or raise LLMUnavailable, nothing else.

    Every call has a whole-call deadline (settings.first_token_s / total_s) and takes one of
    settings.parallel slots; with none free it fails at once ("busy") instead of waiting."""

    def __init__(self, settings: LLMSettings, llm: Any = None):
        self.settings = settings
        self.name = settings.backend
        self.model = settings.model_name
        self._llm = llm if llm is not None else make_llm(settings)
        self._slots = threading.BoundedSemaphore(settings.parallel)

    def describe(self) -> str:
        return self.settings.describe()

    def complete(self, messages: Sequence[Message]) -> str:
        """A whole reply within the total deadline."""
        return call_within(lambda: self._complete(messages), self._slots, self.settings.total_s)

    def quick(self, messages: Sequence[Message]) -> str:
        """A short reply (a condensed question) within the first-token deadline."""
        return call_within(lambda: self._complete(messages), self._slots,
                           self.settings.first_token_s, late=first_token_late)

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        """Text deltas in order, cut off at the first-token or the total deadline."""
        return stream_within(lambda: self._stream(messages), self._slots,
                             self.settings.first_token_s, self.settings.total_s)

    def _complete(self, messages: Sequence[Message]) -> str:
        try:
            response = self._llm.chat(_chat_messages(messages))
            text = response.message.content
        except Exception as exc:  # every client and parse error means: no usable answer
            raise _unavailable(exc, self.settings) from exc
        if not isinstance(text, str) or not text.strip():
            raise LLMUnavailable("empty", "De taalmodelserver gaf een leeg antwoord")
        return text

    def _stream(self, messages: Sequence[Message]) -> Iterator[str]:
        """Text deltas in order; raises LLMUnavailable if the stream ends without the server's final chunk."""
        finished = produced = False
        try:
            for chunk in self._llm.stream_chat(_chat_messages(messages)):
                if chunk.delta:
                    produced = True
                    yield chunk.delta
                finished = finished or _is_final(chunk.raw)
        except Exception as exc:
            raise _unavailable(exc, self.settings) from exc
        # The clients end quietly when a server closes the connection early: check for the last chunk.
        if not finished:
            raise LLMUnavailable("cutoff", "Het antwoord van de taalmodelserver brak halverwege af")
        if not produced:
            raise LLMUnavailable("empty", "De taalmodelserver gaf een leeg antwoord")

    def ping(self) -> bool:
        """True when the server answers its model list within a few seconds; never raises."""
        import httpx

        path = "/api/tags" if self.name == "ollama" else "/models"
        try:
            reply = httpx.get(self.settings.base_url + path, headers=_auth(self.settings),
                              timeout=min(PING_TIMEOUT, self.settings.timeout))
            return reply.status_code == 200 and isinstance(reply.json(), dict)
        except Exception:
            return False


def _auth(settings: LLMSettings) -> dict[str, str] | None:
    return {"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else None


def _chat_messages(messages: Sequence[Message]) -> list:
    from llama_index.core.llms import ChatMessage

    return [ChatMessage(role=role, content=content) for role, content in messages]


def _is_final(raw: Any) -> bool:
    """Ollama marks its last NDJSON line with done=true; OpenAI servers send a finish_reason."""
    if isinstance(raw, dict):
        return bool(raw.get("done"))
    return any(getattr(choice, "finish_reason", None) for choice in getattr(raw, "choices", None) or ())


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return seen


def _unavailable(exc: Exception, settings: LLMSettings) -> LLMUnavailable:
    """Map the clients' exceptions (httpx, openai, ollama, JSON, pydantic) to one Dutch reason."""
    import httpx

    log.info("taalmodel %s: %s: %s", settings.describe(), type(exc).__name__, _short(str(exc), 300))
    openai = sys.modules.get("openai")
    chain = _chain(exc)

    def has(*types) -> BaseException | None:
        types = tuple(t for t in types if t is not None)
        return next((e for e in chain if isinstance(e, types)), None)

    if has(httpx.TimeoutException, TimeoutError, openai and openai.APITimeoutError):
        seconds = f"{settings.timeout:g}".replace(".", ",")  # Dutch decimal comma: "0,5 s"
        return LLMUnavailable("timeout", f"De taalmodelserver reageerde niet (time-out na {seconds} s)")
    status = next((e for e in chain if isinstance(getattr(e, "status_code", None), int)), None)
    if status is not None:
        code = status.status_code
        detail = _short(_detail(status))
        where = f"HTTP {code}" if code > 0 else "fout tijdens het antwoord"
        return LLMUnavailable("http", f"De taalmodelserver gaf een foutmelding ({where}: {detail})")
    if has(httpx.RemoteProtocolError, httpx.ReadError):
        return LLMUnavailable("cutoff", "Het antwoord van de taalmodelserver brak halverwege af")
    if has(ConnectionError, httpx.ConnectError, openai and openai.APIConnectionError):
        return LLMUnavailable("connect", f"De taalmodelserver is niet bereikbaar op {settings.base_url}")
    return LLMUnavailable("garbage", "De taalmodelserver gaf een onleesbaar antwoord")


def _detail(exc: BaseException) -> str:
    """The server's own error text: Ollama's ResponseError.error, the OpenAI error body's message."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        found = body.get("message") or body.get("error")
        return str(found.get("message", found) if isinstance(found, dict) else found or body)
    return str(getattr(exc, "error", None) or exc)


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
