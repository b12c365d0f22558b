"""Which language model to use, read from REGIOWIJZER_LLM_* variables; nothing is contacted unless set."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace

BACKENDS = ("none", "ollama", "openai")
DEFAULT_URLS = {"ollama": "http://127.0.0.1:11434", "openai": "http://127.0.0.1:8000/v1"}
DEFAULT_MODELS = {"ollama": "llama3.1:8b", "openai": "default"}


@dataclass(frozen=True)
class LLMSettings:
    backend: str = "none"
    url: str = ""  # "" means the backend's default
    model: str = ""  # "" means the backend's default
    api_key: str | None = None
    timeout: float = 60.0  # seconds without a byte from the server (a whole reply when not streaming)
    temperature: float = 0.1
    context: int = 8192  # tokens; Ollama gets it as num_ctx, an OpenAI server only as a prompt budget
    first_token_s: float = 20.0  # the first text must arrive within this (a whole condensed question too)
    total_s: float = 90.0  # the whole answer must be in within this, however the server trickles
    parallel: int = 4  # model answers at the same time (all users together); more get the extractive one

    def __post_init__(self):
        if self.backend not in BACKENDS:
            raise ValueError(f"onbekende taalmodel-backend {self.backend!r}; kies uit {', '.join(BACKENDS)}")
        if self.timeout <= 0 or self.context < 512:
            raise ValueError("time-out moet positief zijn en de contextgrootte minstens 512 tokens")
        if self.first_token_s <= 0 or self.total_s <= 0 or self.parallel < 1:
            raise ValueError("de termijnen moeten positief zijn en het aantal gelijktijdige antwoorden "
                             "minstens 1")

    @property
    def enabled(self) -> bool:
        return self.backend != "none"

    @property
    def base_url(self) -> str:
        return (self.url or DEFAULT_URLS.get(self.backend, "")).rstrip("/")

    @property
    def model_name(self) -> str:
        return self.model or DEFAULT_MODELS.get(self.backend, "")

    def describe(self) -> str:
        """For the answer's metadata and the UI: 'ollama · llama3.1:8b @ http://127.0.0.1:11434'."""
        if not self.enabled:
            return "geen taalmodel (extractief)"
        return f"{self.backend} · {self.model_name} @ {self.base_url}"

    def with_(self, **changes) -> LLMSettings:
        return replace(self, **changes)


def load_llm_settings(env: Mapping[str, str] | None = None, **overrides) -> LLMSettings:
    """Settings from the environment; `overrides` (e.g. backend from `--llm`) win over it."""
    env = os.environ if env is None else env
    values: dict = {}
    if env.get("REGIOWIJZER_LLM"):
        values["backend"] = env["REGIOWIJZER_LLM"].strip().lower()
    for key, var in (("url", "REGIOWIJZER_LLM_URL"), ("model", "REGIOWIJZER_LLM_MODEL"),
                     ("api_key", "REGIOWIJZER_LLM_API_KEY")):
        if env.get(var):
            values[key] = env[var].strip()
    for key, var, kind in (("timeout", "REGIOWIJZER_LLM_TIMEOUT", float),
                           ("temperature", "REGIOWIJZER_LLM_TEMPERATURE", float),
                           ("context", "REGIOWIJZER_LLM_CONTEXT", int),
                           ("first_token_s", "REGIOWIJZER_LLM_FIRST_TOKEN_S", float),
                           ("total_s", "REGIOWIJZER_LLM_TOTAL_S", float),
                           ("parallel", "REGIOWIJZER_LLM_PARALLEL", int)):
        if env.get(var):
            try:
                values[key] = kind(env[var])
            except ValueError:
                raise ValueError(f"{var}={env[var]!r} is geen geldig getal") from None
    values.update({k: v for k, v in overrides.items() if v is not None})
    return LLMSettings(**values)
