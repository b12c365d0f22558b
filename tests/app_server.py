"""Serve a Gradio app on a free loopback port for the length of a `with` block (browser tests)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

CHROMIUM = "/usr/bin/chromium"
# Headless, and nothing that phones home: no component updates, sync, QUIC or background traffic.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_app(app, **launch) -> Iterator[str]:
    """Launch `app` in a background thread on 127.0.0.1 (with the app's own launch options, and
    `launch` such as auth=…); yield its URL; close it afterwards."""
    from assistant.app.ui import launch_options

    port = free_port()
    app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
               **{**launch_options(), **launch})
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()
