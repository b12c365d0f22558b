"""Who may do what in the app: changing the corpus is for administrators, and logging in is
throttled per client.

Gradio keeps every event callable by its number over HTTP (`/gradio_api/queue/join` with a
`fn_index`), whatever its API visibility: anything the page can do, a script can do as well.
So the handlers that add or remove documents check the caller themselves. With a login
(Gradio's, `--auth`/REGIOWIJZER_AUTH) only a user named in REGIOWIJZER_ADMIN may change the
corpus. Without a login, on loopback (`make serve`), the person at the machine owns it: a
request from this machine that did not come through a proxy (no forwarding header) may.
Without a login on the network nobody may; add documents with `regiowijzer ingest` then.

Login attempts are counted per user name and client address together: an attempt counts
the moment it is let through (atomically, so a burst of concurrent attempts gets no more than
a sequence would), a successful login clears the count. After FREE_ATTEMPTS the pair must wait
before its next attempt (HTTP 429, a Dutch message), a delay that doubles with every attempt,
up to MAX_DELAY_S. Someone guessing a password slows only their own name + address pair: the
owner of the account, from another address, logs in as usual.

The client address is the connection's own. A reverse proxy's X-Forwarded-For is believed only
from the addresses named with `--forwarded-allow-ips` / REGIOWIJZER_FORWARDED_ALLOW_IPS (uvicorn
would otherwise believe it from 127.0.0.1, and anyone on the machine could pick an address).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from urllib.parse import parse_qs

from assistant.present.chat import chat_text

ADMIN_ENV = "REGIOWIJZER_ADMIN"
FORWARDED_ENV = "REGIOWIJZER_FORWARDED_ALLOW_IPS"
MAX_LOGIN_BODY = 16 * 1024  # a login form is a name and a password
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


def trust_forwarded(allow_ips: str | None = None) -> str:
    """Which proxy addresses uvicorn may believe X-Forwarded-For from: `allow_ips`, else
    REGIOWIJZER_FORWARDED_ALLOW_IPS, else none. uvicorn reads FORWARDED_ALLOW_IPS when the
    server starts (its own default trusts 127.0.0.1), so this sets it for the launch."""
    value = (allow_ips if allow_ips is not None else os.environ.get(FORWARDED_ENV, "")).strip()
    os.environ["FORWARDED_ALLOW_IPS"] = value  # "" trusts nobody
    return value


Key = tuple[str, str]  # (user name, client address)


class LoginThrottle:
    """Login attempts per (name, address); `admit(key)` lets one through and counts it, or says
    how long the pair must still wait."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._attempts: OrderedDict[Key, tuple[int, float]] = OrderedDict()  # key -> (n, last)
        self._lock = threading.Lock()

    def _wait(self, attempts: int, last: float) -> float:
        if attempts < FREE_ATTEMPTS:
            return 0.0
        delay = min(MAX_DELAY_S, 2.0 ** (attempts - FREE_ATTEMPTS))
        return max(0.0, last + delay - self._clock())

    def wait(self, key: Key) -> float:
        with self._lock:
            return self._wait(*self._attempts.get(key, (0, 0.0)))

    def admit(self, key: Key) -> float:
        """0.0: the attempt may go ahead and is counted now; else seconds still to wait."""
        with self._lock:
            attempts, last = self._attempts.pop(key, (0, 0.0))
            wait = self._wait(attempts, last)
            if wait == 0.0:
                attempts, last = attempts + 1, self._clock()
            self._attempts[key] = (attempts, last)
            while len(self._attempts) > MAX_CLIENTS:
                self._attempts.popitem(last=False)
            return wait

    def succeeded(self, key: Key) -> None:
        with self._lock:
            self._attempts.pop(key, None)


def refusal(seconds: float) -> str:
    return (f"Te veel mislukte inlogpogingen. Probeer het over {max(1, round(seconds))} "
            "seconden opnieuw.")


class ThrottledLogin:
    """ASGI middleware around the app: POST …/login is counted per user name and client
    address before it reaches the app, refused while that pair must wait, and a success (any
    answer under 400) clears the pair's count."""

    def __init__(self, app, throttle: LoginThrottle | None = None) -> None:
        self.app = app
        self.throttle = throttle or LoginThrottle()

    async def __call__(self, scope, receive, send) -> None:
        if (scope["type"] != "http" or scope.get("method") != "POST"
                or not scope.get("path", "").rstrip("/").endswith("/login")):
            await self.app(scope, receive, send)
            return
        body, messages = await _read_body(receive)
        key = (_user_name(scope, body), (scope.get("client") or ("?", 0))[0])
        wait = self.throttle.admit(key)
        if wait > 0:
            payload = json.dumps({"detail": refusal(wait)}, ensure_ascii=False).encode()
            await send({"type": "http.response.start", "status": 429,
                        "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                    (b"retry-after", str(max(1, round(wait))).encode())]})
            await send({"type": "http.response.body", "body": payload})
            return

        async def replay():
            return messages.pop(0) if messages else await receive()

        async def counting_send(message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                self.throttle.succeeded(key)
            await send(message)

        await self.app(scope, replay, counting_send)


async def _read_body(receive) -> tuple[bytes, list[dict]]:
    """The request body (up to MAX_LOGIN_BODY bytes kept for reading the name) and the
    messages it came in, to hand to the app unchanged."""
    messages, body = [], b""
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        if len(body) < MAX_LOGIN_BODY:
            body += message.get("body", b"")
        if not message.get("more_body"):
            break
    return body[:MAX_LOGIN_BODY], messages


def _user_name(scope, body: bytes) -> str:
    """The user name a login form names ("" when it names none): case and spaces do not make
    another pair."""
    headers = dict(scope.get("headers") or [])
    if b"application/x-www-form-urlencoded" not in headers.get(b"content-type", b""):
        return ""
    fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=20)
    return " ".join((fields.get("username") or [""])[0].split()).casefold()[:200]
