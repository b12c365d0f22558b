"""A loopback proxy in front of a real Chroma server that misbehaves on purpose.

Modes (set `proxy.mode` at any time):
- "pass": forward every request and reply as they are;
- "trickle": forward, then send the reply's body one byte a second (headers at once);
- "trickle-after-heartbeat": the same, except for the heartbeat (the server looks alive);
- "hang-add": forward everything except POST …/add, which gets no reply until the proxy stops.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMA = Path(sys.executable).parent / "chroma"
HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_chroma(path: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = dict(os.environ, ANONYMIZED_TELEMETRY="False")
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("chroma server did not start")


class MisbehavingProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream = upstream_port
        self.mode = "pass"
        self.stopping = threading.Event()
        self.trickled = 0  # replies that were being trickled
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> MisbehavingProxy:
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()


def _handler(proxy: MisbehavingProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def _forward(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else None
            if proxy.mode == "hang-add" and self.command == "POST" and self.path.endswith("/add"):
                proxy.stopping.wait()
                return
            mode = proxy.mode
            if mode == "trickle-after-heartbeat":
                mode = "pass" if self.path.endswith("/heartbeat") else "trickle"
            upstream = http.client.HTTPConnection("127.0.0.1", proxy.upstream, timeout=60)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP | {"host"}}
            upstream.request(self.command, self.path, body=body, headers=headers)
            reply = upstream.getresponse()
            data = reply.read()
            upstream.close()
            self.send_response(reply.status)
            for key, value in reply.getheaders():
                if key.lower() not in HOP:
                    self.send_header(key, value)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            if mode != "trickle":
                self.wfile.write(data)
                return
            proxy.trickled += 1
            for i in range(len(data)):
                if proxy.stopping.wait(1.0):
                    return
                try:
                    self.wfile.write(data[i:i + 1])
                    self.wfile.flush()
                except OSError:
                    return  # the client gave up and closed the connection

        do_GET = do_POST = do_PUT = do_DELETE = _forward

    return Handler
