"""Deadlines for whole calls to the model server, and a bounded number of calls at a time.

The HTTP clients only know a read timeout: a server that sends a token every few seconds never
trips it, and a reply can take minutes. Here each call runs in a worker thread while the caller
waits with a clock: the first text must arrive within `first_s`, all of it within `total_s`;
past that the caller gets LLMUnavailable (and the extractive answer) at once. The worker is
told to stop and does so at its next chunk, or when the client's read timeout ends it.

`slots` bounds the calls in flight, so a slow server cannot tie up every worker of the app: a
call that finds no free slot fails at once with a "busy" LLMUnavailable. A slot is held until
the worker thread really ends, so abandoned calls count too.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from assistant.compose.llm.errors import LLMUnavailable

T = TypeVar("T")
BUSY = "Het taalmodel is bezig met de vragen van andere gebruikers"
_CHUNK, _END, _ERROR = "chunk", "end", "error"


def seconds_text(seconds: float) -> str:
    return f"{seconds:g}".replace(".", ",")  # Dutch decimal comma: "0,5"


def first_token_late(seconds: float) -> LLMUnavailable:
    return LLMUnavailable("deadline", f"Het taalmodel begon niet binnen {seconds_text(seconds)} s "
                                      "aan een antwoord")


def total_late(seconds: float) -> LLMUnavailable:
    return LLMUnavailable("deadline", "Het antwoord van het taalmodel was niet binnen "
                                      f"{seconds_text(seconds)} s klaar")


def _take_slot(slots: threading.Semaphore) -> None:
    if not slots.acquire(blocking=False):
        raise LLMUnavailable("busy", BUSY)


def _start(work: Callable[[queue.SimpleQueue, threading.Event], None],
           slots: threading.Semaphore) -> tuple[queue.SimpleQueue, threading.Event]:
    results: queue.SimpleQueue = queue.SimpleQueue()
    stop = threading.Event()

    def run() -> None:
        try:
            work(results, stop)
        except BaseException as exc:  # handed to the caller, who raises it
            results.put((_ERROR, exc))
        finally:
            slots.release()

    threading.Thread(target=run, name="regiowijzer-llm", daemon=True).start()
    return results, stop


def call_within(fn: Callable[[], T], slots: threading.Semaphore, seconds: float,
                late: Callable[[float], LLMUnavailable] = total_late) -> T:
    """fn() in a worker thread; its result, its exception, or LLMUnavailable after `seconds`."""
    _take_slot(slots)
    results, stop = _start(lambda out, _stop: out.put((_END, fn())), slots)
    try:
        kind, value = results.get(timeout=seconds)
    except queue.Empty:
        stop.set()
        raise late(seconds) from None
    if kind == _ERROR:
        raise value
    return value


def stream_within(start: Callable[[], Iterable[str]], slots: threading.Semaphore,
                  first_s: float, total_s: float,
                  clock: Callable[[], float] = time.monotonic) -> Iterator[str]:
    """The chunks of start() as they come, cut off with LLMUnavailable at either deadline.

    The slot is taken at once (a busy pool raises here, before any iteration)."""
    _take_slot(slots)

    def pump(out: queue.SimpleQueue, stop: threading.Event) -> None:
        chunks = iter(start())
        try:
            for chunk in chunks:
                out.put((_CHUNK, chunk))
                if stop.is_set():
                    return
            out.put((_END, None))
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()  # ends the HTTP response of an abandoned stream

    results, stop = _start(pump, slots)
    return _consume(results, stop, clock() + first_s, clock() + total_s, first_s, total_s, clock)


def _consume(results: queue.SimpleQueue, stop: threading.Event, first_by: float, done_by: float,
             first_s: float, total_s: float, clock: Callable[[], float]) -> Iterator[str]:
    started = False
    try:
        while True:
            now = clock()
            limit = done_by if started else min(first_by, done_by)
            if now >= limit:
                raise (total_late(total_s) if started or done_by <= first_by
                       else first_token_late(first_s))
            try:
                kind, value = results.get(timeout=limit - now)
            except queue.Empty:
                continue  # the clock decides on the next turn
            if kind == _END:
                return
            if kind == _ERROR:
                raise value
            started = started or bool(value)
            yield value
    finally:
        stop.set()  # finished, failed, late or abandoned: the worker stops at its next chunk
