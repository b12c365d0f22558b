"""The two failures callers handle: the model is unusable right now (fall back), or a prompt file is wrong."""

from __future__ import annotations

FALLBACK = "dit is het extractieve antwoord uit de bronnen"


class LLMUnavailable(Exception):
    """The server could not give a usable answer; the caller falls back to the extractive composer.

    `kind` is for code and logs (connect, timeout, http, garbage, empty, cutoff, unusable);
    `reason` and `notice` are Dutch text for the user.
    """

    def __init__(self, kind: str, reason: str):
        super().__init__(reason)
        self.kind = kind
        self.reason = reason

    @property
    def notice(self) -> str:
        return f"{self.reason}; {FALLBACK}."


class PromptError(ValueError):
    """A prompt file is malformed, or a template was rendered with missing or unknown fields."""
