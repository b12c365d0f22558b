"""A scripted language-model server on loopback, speaking enough of the Ollama and OpenAI chat APIs.

Each chat request takes the next scripted Reply (an answer, a delay, an HTTP error, garbage, or a
stream that is cut off); every request is recorded so tests can inspect the prompt that was sent.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL = "test-model"


@dataclass(frozen=True)
class Reply:
    kind: str  # text | sleep | status | raw | cutoff | truncated | stall | trickle
    text: str = ""
    status: int = 200
    body: bytes = b""
    delay: float = 0.0
    pieces: int = 0  # cutoff/truncated/stall: how many chunks go out before the stream stops


def say(text: str) -> Reply:
    """A normal answer, streamed in small pieces when the client asks for a stream."""
    return Reply("text", text)


def sleep(seconds: float) -> Reply:
    """Send nothing for `seconds` (longer than the client's timeout), then give up."""
    return Reply("sleep", delay=seconds)


def status(code: int, message: str = "interne fout") -> Reply:
    """An HTTP error with the API's own error body (Ollama: a string, OpenAI: an object)."""
    return Reply("status", text=message, status=code)


def raw(body: bytes) -> Reply:
    """Exactly these bytes as a 200 JSON body (or stream line): invalid JSON, a wrong shape, …"""
    return Reply("raw", body=body)


def cutoff(text: str, pieces: int = 2) -> Reply:
    """Stream a few chunks, then drop the connection in the middle of the chunked body."""
    return Reply("cutoff", text, pieces=pieces)


def stall(text: str, pieces: int = 2, seconds: float = 3.0) -> Reply:
    """Stream a few chunks, then go quiet for `seconds` (the server hangs mid-answer)."""
    return Reply("stall", text, delay=seconds, pieces=pieces)


def trickle(text: str, seconds: float = 1.0) -> Reply:
    """Stream the answer one piece every `seconds`: never quiet long enough for a read timeout.
    Asked without streaming, it sends nothing until all the pieces would have gone out."""
    return Reply("trickle", text, delay=seconds)


def truncated(text: str, pieces: int = 2) -> Reply:
    """Stream a few chunks and end the HTTP body cleanly, but without the API's final chunk."""
    return Reply("truncated", text, pieces=pieces)


def split_pieces(text: str) -> list[str]:
    words = re.findall(r"\S+\s*|\s+", text)
    return ["".join(words[i:i + 3]) for i in range(0, len(words), 3)] or [""]


class ScriptedLLMServer:
    """Start with `with ScriptedLLMServer() as server:`; `server.url("ollama" | "openai")` is the base URL."""

    def __init__(self):
        self.replies: deque[Reply] = deque()
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, api: str) -> str:
        return f"http://127.0.0.1:{self.port}" + ("/v1" if api == "openai" else "")

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self.replies.clear()
            self.replies.extend(replies)
            self.requests.clear()

    def chat_requests(self) -> list[dict]:
        return [r for r in self.requests if r["method"] == "POST"]

    def next_reply(self) -> Reply:
        with self._lock:
            return self.replies.popleft() if self.replies else status(500, "no scripted reply")

    def record(self, entry: dict) -> None:
        with self._lock:
            self.requests.append(entry)

    def start(self) -> ScriptedLLMServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # wakes handlers that are sleeping out a timeout
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> ScriptedLLMServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _handler(server: ScriptedLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Small writes go out at once; otherwise Nagle and delayed ACKs add ~40 ms per request.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def handle(self) -> None:
            try:
                super().handle()
            except (BrokenPipeError, ConnectionResetError):  # a client that gave up: fine
                self.close_connection = True

        def do_GET(self) -> None:
            server.record({"method": "GET", "path": self.path})
            if self.path == "/api/tags":
                self._json(200, {"models": [{"name": MODEL, "model": MODEL, "size": 1}]})
            elif self.path == "/api/version":
                self._json(200, {"version": "0.0-test"})
            elif self.path == "/v1/models":
                self._json(200, {"object": "list", "data": [{"id": MODEL, "object": "model",
                                                             "created": 0, "owned_by": "test"}]})
            else:
                self._json(404, {"error": "niet gevonden"})

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                payload = json.loads(body or b"{}")
            except ValueError:
                payload = None
            server.record({"method": "POST", "path": self.path, "json": payload,
                           "headers": dict(self.headers.items())})
            api = {"/api/chat": "ollama", "/v1/chat/completions": "openai"}.get(self.path)
            if api is None:
                return self._json(404, {"error": "niet gevonden"})
            reply = server.next_reply()
            try:
                self._answer(api, reply, bool((payload or {}).get("stream")))
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout): fine
                self.close_connection = True

        def _answer(self, api: str, reply: Reply, stream: bool) -> None:
            if reply.kind == "sleep":
                server._stop.wait(reply.delay)
                self.close_connection = True
                return
            if reply.kind == "status":
                error = reply.text if api == "ollama" else {"message": reply.text, "type": "server_error"}
                return self._json(reply.status, {"error": error})
            if reply.kind == "raw" and not stream:
                return self._send(200, reply.body, "application/json")
            if reply.kind == "trickle" and not stream:
                if server._stop.wait(reply.delay * len(split_pieces(reply.text))):
                    return
                return self._json(200, _full(api, reply.text))
            if not stream:
                return self._json(200, _full(api, reply.text))
            self.send_response(200)
            kind = "application/x-ndjson" if api == "ollama" else "text/event-stream"
            self.send_header("Content-Type", kind)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            if reply.kind == "raw":  # garbage inside a well-formed NDJSON line or SSE frame
                self._chunk(reply.body + b"\n" if api == "ollama" else b"data: " + reply.body + b"\n\n")
                return self._chunk(b"")
            pieces = split_pieces(reply.text)
            if reply.kind in ("cutoff", "truncated", "stall"):
                pieces = pieces[: reply.pieces]
            for piece in pieces:
                if reply.kind == "trickle" and server._stop.wait(reply.delay):
                    return
                self._chunk(_frame(api, _delta(api, piece)))
            if reply.kind == "stall":
                server._stop.wait(reply.delay)
                self.close_connection = True
                return
            if reply.kind == "cutoff":  # no terminating chunk: the client sees the body break off
                self.close_connection = True
                return
            if reply.kind in ("text", "trickle"):
                self._chunk(_frame(api, _final(api)))
                if api == "openai":
                    self._chunk(b"data: [DONE]\n\n")
            self._chunk(b"")

        def _chunk(self, data: bytes) -> None:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

        def _json(self, code: int, obj: dict) -> None:
            self._send(code, json.dumps(obj).encode(), "application/json")

        def _send(self, code: int, body: bytes, content_type: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()

    return Handler


def _frame(api: str, obj: dict) -> bytes:
    data = json.dumps(obj).encode()
    return data + b"\n" if api == "ollama" else b"data: " + data + b"\n\n"


def _full(api: str, text: str) -> dict:
    if api == "ollama":
        return {"model": MODEL, "created_at": "2024-01-01T00:00:00Z",
                "message": {"role": "assistant", "content": text}, "done": True, "done_reason": "stop",
                "prompt_eval_count": 10, "eval_count": 20}
    return {"id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": MODEL,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30}}


def _delta(api: str, piece: str) -> dict:
    if api == "ollama":
        return {"model": MODEL, "created_at": "2024-01-01T00:00:00Z",
                "message": {"role": "assistant", "content": piece}, "done": False}
    return {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 0, "model": MODEL,
            "choices": [{"index": 0, "delta": {"role": "assistant", "content": piece},
                         "finish_reason": None}]}


def _final(api: str) -> dict:
    if api == "ollama":
        return {"model": MODEL, "created_at": "2024-01-01T00:00:00Z",
                "message": {"role": "assistant", "content": ""}, "done": True, "done_reason": "stop",
                "prompt_eval_count": 10, "eval_count": 20}
    return {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 0, "model": MODEL,
            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
