"""Answers written by a language model (Ollama or an OpenAI-compatible server), checked against the sources.

Importing this package stays light: llama-index is only loaded by `backends` when a backend is made.
"""

from assistant.compose.llm.backends import ChatBackend, Message, make_backend
from assistant.compose.llm.compose import (
    AnswerStream,
    GeneratedText,
    condense_followup,
    generate_answer,
    stream_answer,
)
from assistant.compose.llm.composer import LLMComposer
from assistant.compose.llm.errors import LLMUnavailable, PromptError
from assistant.compose.llm.settings import LLMSettings, load_llm_settings

__all__ = [
    "AnswerStream", "ChatBackend", "GeneratedText", "LLMComposer", "LLMSettings", "LLMUnavailable",
    "Message", "PromptError", "condense_followup", "generate_answer", "load_llm_settings",
    "make_backend", "stream_answer",
]
