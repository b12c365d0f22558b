"""The page itself says it is Dutch: Gradio serves `<html lang="en">` whatever the app's language,
so screen readers would read Dutch with English pronunciation and browsers offer to translate.
`DutchPage` (ASGI middleware, see `launch_options`) rewrites the language of every HTML page the
app serves, the login page included."""

from __future__ import annotations

import re

LANG = "nl"
_HTML_LANG = re.compile(rb'<html([^>]*?)\slang="[^"]*"', re.IGNORECASE)
MAX_PAGE = 4 * 1024 * 1024  # an HTML page larger than this is passed on unchanged


def dutch_html(body: bytes) -> bytes:
    """The page with lang="nl" on its <html> element (added when it has none)."""
    changed, n = _HTML_LANG.subn(rb'<html\1 lang="' + LANG.encode() + rb'"', body, count=1)
    if n:
        return changed
    return re.sub(rb"<html(?=[\s>])", b'<html lang="' + LANG.encode() + b'"', body, count=1,
                  flags=re.IGNORECASE)


class DutchPage:
    """ASGI middleware: HTML responses get lang="nl"; everything else passes untouched."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        start: dict | None = None
        chunks: list[bytes] = []

        async def rewriting_send(message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                html = headers.get(b"content-type", b"").startswith(b"text/html")
                plain = headers.get(b"content-encoding") in (None, b"identity")
                if html and plain:
                    start = message  # held back until the body is complete
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body") and sum(map(len, chunks)) <= MAX_PAGE:
                return
            body = b"".join(chunks)
            if not message.get("more_body"):
                body = dutch_html(body)
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            if not message.get("more_body"):
                headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body,
                        "more_body": message.get("more_body", False)})
            start = None

        await self.app(scope, receive, rewriting_send)
