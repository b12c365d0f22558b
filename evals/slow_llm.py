"""A slow OpenAI-compatible model server on loopback, for `python -m evals.load --faults`.

Each answer quotes the first sentence of source [1] from the prompt (so it passes the checks),
after `delay` seconds, a few words every `trickle` seconds; every `hang_every`-th request sends
nothing for `hang` seconds (longer than the app's deadlines). Not a test fixture: the tests use
tests/llm_server.py, which scripts each reply.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_SOURCE = re.compile(r'<bron n="1"[^>]*>\s*(.+?)</bron>', re.DOTALL)


def reply_for(prompt: str) -> str:
    found = _SOURCE.search(prompt)
    text = " ".join(found.group(1).split()) if found else "In de bronnen vind ik hierover niets."
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0][:400].rstrip(".!?")
    return f"## Kort antwoord\n{sentence} [1].\n"


class SlowLLMServer:
    def __init__(self, delay: float = 2.0, trickle: float = 0.3, hang_every: int = 5,
                 hang: float = 30.0) -> None:
        self.delay, self.trickle, self.hang_every, self.hang = delay, trickle, hang_every, hang
        self.requests = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.1,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def next_number(self) -> int:
        with self._lock:
            self.requests += 1
            return self.requests

    def __enter__(self) -> SlowLLMServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()


def _handler(server: SlowLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def handle(self) -> None:
            try:
                super().handle()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def do_GET(self) -> None:
            self._send(200, {"object": "list", "data": [{"id": "traag", "object": "model"}]})

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            prompt = "\n".join(m.get("content", "") for m in body.get("messages", []))
            number = server.next_number()
            wait = server.hang if server.hang_every and number % server.hang_every == 0 else server.delay
            if server._stop.wait(wait):
                return
            text = reply_for(prompt) if "<bron" in prompt else prompt.splitlines()[-1][:200]
            if not body.get("stream"):
                return self._send(200, _completion(text))
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            words = re.findall(r"\S+\s*", text)
            for i in range(0, len(words), 3):
                self._chunk(_event({"delta": {"content": "".join(words[i:i + 3])},
                                    "finish_reason": None}))
                if server._stop.wait(server.trickle):
                    return
            self._chunk(_event({"delta": {}, "finish_reason": "stop"}))
            self._chunk(b"data: [DONE]\n\n")
            self._chunk(b"")

        def _chunk(self, data: bytes) -> None:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

        def _send(self, code: int, obj: dict) -> None:
            data = json.dumps(obj).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _event(choice: dict) -> bytes:
    data = {"id": "traag", "object": "chat.completion.chunk", "created": 0, "model": "traag",
            "choices": [{"index": 0, **choice}]}
    return b"data: " + json.dumps(data).encode() + b"\n\n"


def _completion(text: str) -> dict:
    return {"id": "traag", "object": "chat.completion", "created": 0, "model": "traag",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
