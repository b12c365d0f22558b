"""HTTP with a real deadline: a whole request (connect, send, every read of the reply) ends by
a point in time, however slowly the server answers.

httpx counts its timeouts per operation: a server that trickles one byte a second never trips
a 10 s read timeout, and the thread that waits on it stays stuck for as long as the server
likes. Here every socket operation gets the time that is left as its own timeout, so the last
one fails at the deadline and httpcore closes the connection. The deadline of a request is the
earliest of:

- the transport's own total per request (`DeadlineTransport(seconds)`), and
- the calling thread's deadline for a whole call (`with call_deadline(seconds): …`), which
  several requests in a row share.

Name resolution is not covered (a server is named by address here, usually loopback).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpcore
import httpx
from httpcore._backends.sync import SyncBackend

_local = threading.local()


def _left(timeout: float | None) -> float | None:
    """The smaller of an operation's own timeout and the time left until the thread's deadline;
    raises when the deadline has passed."""
    ends = [t for t in (getattr(_local, "call_ends", None), getattr(_local, "request_ends", None))
            if t is not None]
    if not ends:
        return timeout
    left = min(ends) - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("deadline passed")
    return left if timeout is None else min(timeout, left)


@contextmanager
def call_deadline(seconds: float) -> Iterator[None]:
    """Every request this thread makes inside the block ends by `seconds` from now."""
    before = getattr(_local, "call_ends", None)
    ends = time.monotonic() + seconds
    _local.call_ends = ends if before is None else min(before, ends)
    try:
        yield
    finally:
        _local.call_ends = before


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            left = _left(timeout)
        except httpcore.ReadTimeout:
            self._inner.close()
            raise
        return self._inner.read(max_bytes, left)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        try:
            left = _left(timeout)
        except httpcore.ReadTimeout as err:
            self._inner.close()
            raise httpcore.WriteTimeout(str(err)) from None
        self._inner.write(buffer, left)

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, _left(timeout)))

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._inner = SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        try:
            left = _left(timeout)
        except httpcore.ReadTimeout as err:
            raise httpcore.ConnectTimeout(str(err)) from None
        return _Stream(self._inner.connect_tcp(host, port, left, local_address, socket_options))

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        return _Stream(self._inner.connect_unix_socket(path, _left(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class DeadlineTransport(httpx.BaseTransport):
    """httpx's own transport, each request with a total deadline of `seconds` (see above)."""

    def __init__(self, seconds: float, **kwargs) -> None:
        self.seconds = seconds
        self._inner = httpx.HTTPTransport(**kwargs)
        self._inner._pool._network_backend = _Backend()  # the seam httpcore offers for this

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        _local.request_ends = time.monotonic() + self.seconds
        timeouts = dict(request.extensions.get("timeout") or {})
        for key in ("connect", "read", "write", "pool"):
            value = timeouts.get(key)
            timeouts[key] = self.seconds if value is None else min(value, self.seconds)
        request.extensions["timeout"] = timeouts
        response = self._inner.handle_request(request)
        return httpx.Response(response.status_code, headers=response.headers,
                              stream=_Finishing(response.stream), extensions=response.extensions)

    def close(self) -> None:
        self._inner.close()


class _Finishing(httpx.SyncByteStream):
    """The reply's body, read under the request's deadline; closing it ends that deadline."""

    def __init__(self, inner) -> None:
        self._inner = inner

    def __iter__(self) -> Iterator[bytes]:
        yield from self._inner

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            _local.request_ends = None


def deadline_client(seconds: float, **kwargs) -> httpx.Client:
    """An httpx client whose every request ends within `seconds` (and within the thread's
    `call_deadline`)."""
    limits = kwargs.pop("limits", None) or httpx.Limits(max_connections=32, max_keepalive_connections=8)
    verify = kwargs.pop("verify", True)
    return httpx.Client(transport=DeadlineTransport(seconds, limits=limits, verify=verify),
                        timeout=httpx.Timeout(seconds), **kwargs)
