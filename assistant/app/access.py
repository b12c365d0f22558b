"""Who may do what in the app: changing the corpus is for administrators, and logging in is
throttled per client.

Gradio keeps every event callable by its number over HTTP (`/gradio_api/queue/join` with a
`fn_index`), whatever its API visibility: anything the page can do, a script can do as well.
So the handlers that add or remove documents check the caller themselves. With a login
(Gradio's, `--auth`/REGIOWIJZER_AUTH) only a user named in REGIOWIJZER_ADMIN may change the
corpus. Without a login, on loopback (`make serve`), the person at the machine owns it: a
request from this machine that did not come through a proxy (no forwarding header) may.
Without a login on the network nobody may; add documents with `regiowijzer ingest` then.

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

from assistant.present.chat import chat_text

ADMIN_ENV = "REGIOWIJZER_ADMIN"
FREE_ATTEMPTS = 5
MAX_DELAY_S = 300.0
MAX_CLIENTS = 10_000  # addresses remembered at most (the least recently seen are forgotten)
NOT_ADMIN = ("Documenten toevoegen of verwijderen kan alleen een beheerder: log in met een "
             "gebruiker die in REGIOWIJZER_ADMIN staat. Zonder login voegt u documenten toe met "
             "`regiowijzer ingest`.")
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
# Headers a reverse proxy adds: a request that has one did not start on this machine.
FORWARDED = ("forwarded", "x-forwarded-for", "x-real-ip")


def admin_users(env: Mapping[str, str] | None = None) -> frozenset[str]:
    """The user names in REGIOWIJZER_ADMIN (comma-separated)."""
    raw = (os.environ if env is None else env).get(ADMIN_ENV, "")
    return frozenset(name.strip() for name in raw.split(",") if name.strip())


def is_admin(request, admins: frozenset[str]) -> bool:
    """True for a logged-in user named in REGIOWIJZER_ADMIN (Gradio sets request.username
    from its login cookie; a client cannot choose it)."""
    username = getattr(request, "username", None)
    return bool(username) and username in admins


def serves_local_owner(host: str, logins: list | None) -> bool:
    """True when the app listens on loopback only and asks no login: the person at the
    machine owns it."""
    return logins is None and host in LOOPBACK


def from_this_machine(request) -> bool:
    """True for a request from a loopback address that no proxy passed on."""
    client = getattr(getattr(request, "client", None), "host", None)
    if client not in {"127.0.0.1", "::1"}:
        return False
    headers = getattr(request, "headers", None) or {}
    return not any(name in headers for name in FORWARDED)


def may_change_corpus(request, admins: frozenset[str], local_owner: bool) -> bool:
    """Who may add and remove documents: a logged-in administrator, or, when the app serves
    its local owner (no login, loopback), a request from this machine."""
    if getattr(request, "username", None):
        return is_admin(request, admins)
    return local_owner and from_this_machine(request)


def access_text(request, admins: frozenset[str], local_owner: bool) -> str:
    """What the top of the Bronnen tab says: who may add documents, and how to become that."""
    user = getattr(request, "username", None)
    if user and is_admin(request, admins):
        return (f"U bent ingelogd als **{chat_text(user)}**, beheerder: u kunt hieronder documenten "
                "toevoegen en verwijderen.")
    if user:
        return (f"U bent ingelogd als **{chat_text(user)}**. Documenten toevoegen of verwijderen kan alleen "
                "een beheerder: een gebruiker die in de instelling `REGIOWIJZER_ADMIN` staat "
                "(bijvoorbeeld `REGIOWIJZER_ADMIN=" + chat_text(user) + "`, gezet door wie de app start). "
                "Vraag dat aan de beheerder van deze app.")
    if local_owner and from_this_machine(request):
        return ("De app draait op deze computer zonder login: u kunt hieronder documenten "
                "toevoegen en verwijderen.")
    return ("Deze app draait zonder login. Documenten toevoegen of verwijderen kan alleen op de "
            "computer waarop de app draait, of na inloggen als beheerder: start de app met "
            "`--auth gebruiker:wachtwoord` en zet die gebruiker in `REGIOWIJZER_ADMIN`.")


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
