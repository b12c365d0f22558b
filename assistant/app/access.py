"""Who may do what in the app: changing the corpus is for administrators, and logging in is
throttled per client.

Gradio keeps every event callable by its number over HTTP (`/gradio_api/queue/join` with a
`fn_index`), whatever its API visibility: anything the page can do, a script can do as well.
So the handlers that add or remove documents check the caller themselves: only a user who
logged in (Gradio's login, `--auth`/REGIOWIJZER_AUTH) and is named in REGIOWIJZER_ADMIN may
change the corpus. Without a login nobody may; add documents with `regiowijzer ingest` then.

Failed logins are counted per client address: after FREE_ATTEMPTS failures each further
attempt is refused (HTTP 429, a Dutch message) until a delay has passed that doubles with
every failure, up to MAX_DELAY_S. Behind a reverse proxy all clients share its address.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping

ADMIN_ENV = "REGIOWIJZER_ADMIN"
FREE_ATTEMPTS = 5
MAX_DELAY_S = 300.0
MAX_CLIENTS = 10_000  # addresses remembered at most (the least recently seen are forgotten)
NOT_ADMIN = ("Documenten toevoegen of verwijderen kan alleen een beheerder: log in met een "
             "gebruiker die in REGIOWIJZER_ADMIN staat. Zonder login voegt u documenten toe met "
             "`regiowijzer ingest`.")


def admin_users(env: Mapping[str, str] | None = None) -> frozenset[str]:
    """The user names in REGIOWIJZER_ADMIN (comma-separated)."""
    raw = (os.environ if env is None else env).get(ADMIN_ENV, "")
    return frozenset(name.strip() for name in raw.split(",") if name.strip())


def is_admin(request, admins: frozenset[str]) -> bool:
    """True for a logged-in user named in REGIOWIJZER_ADMIN (Gradio sets request.username
    from its login cookie; a client cannot choose it)."""
    username = getattr(request, "username", None)
    return bool(username) and username in admins


def credentials(value: str | None) -> list[tuple[str, str]] | None:
    """'gebruiker:wachtwoord[,gebruiker:wachtwoord…]' as Gradio's auth list (None: no login)."""
    if not value:
        return None
    pairs = []
    for item in value.split(","):
        user, sep, password = item.strip().partition(":")
        if not (sep and user and password):
            raise ValueError("Gebruik voor de login de vorm gebruiker:wachtwoord "
                             "(meerdere gescheiden door komma's).")
        pairs.append((user, password))
    return pairs


class LoginThrottle:
    """Failed login attempts per client; `wait(client)` says how long it must still wait."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: OrderedDict[str, tuple[int, float]] = OrderedDict()  # client -> (n, last)
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        with self._lock:
            failures, last = self._failures.get(client, (0, 0.0))
        if failures < FREE_ATTEMPTS:
            return 0.0
        delay = min(MAX_DELAY_S, 2.0 ** (failures - FREE_ATTEMPTS))
        return max(0.0, last + delay - self._clock())

    def failed(self, client: str) -> None:
        with self._lock:
            failures, _ = self._failures.pop(client, (0, 0.0))
            self._failures[client] = (failures + 1, self._clock())
            while len(self._failures) > MAX_CLIENTS:
                self._failures.popitem(last=False)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


def refusal(seconds: float) -> str:
    return (f"Te veel mislukte inlogpogingen. Probeer het over {max(1, round(seconds))} "
            "seconden opnieuw.")


class ThrottledLogin:
    """ASGI middleware around the app: POST …/login is refused while the client must wait,
    and each answer of the login route counts as a failure (400) or a success (200)."""

    def __init__(self, app, throttle: LoginThrottle | None = None) -> None:
        self.app = app
        self.throttle = throttle or LoginThrottle()

    async def __call__(self, scope, receive, send) -> None:
        if (scope["type"] != "http" or scope.get("method") != "POST"
                or not scope.get("path", "").rstrip("/").endswith("/login")):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("?", 0))[0]
        wait = self.throttle.wait(client)
        if wait > 0:
            body = json.dumps({"detail": refusal(wait)}, ensure_ascii=False).encode()
            await send({"type": "http.response.start", "status": 429,
                        "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                    (b"retry-after", str(max(1, round(wait))).encode())]})
            await send({"type": "http.response.body", "body": body})
            return

        async def counting_send(message) -> None:
            if message["type"] == "http.response.start":
                if message["status"] == 400:
                    self.throttle.failed(client)
                elif message["status"] < 400:
                    self.throttle.succeeded(client)
            await send(message)

        await self.app(scope, receive, counting_send)
