"""Loaded by Python at start-up in the privacy test's subprocesses (via PYTHONPATH).

Blocks every network connection and name lookup that is not loopback, and records each
attempt in the file named by NETGUARD_LOG, so the test can assert that nothing tried.
"""

import ipaddress
import os
import socket

_LOG = os.environ.get("NETGUARD_LOG")
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _record(what: str) -> None:
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(what + "\n")


def _is_loopback(host) -> bool:
    if host is None:
        return True
    host = host.decode() if isinstance(host, bytes) else str(host)
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_getaddrinfo = socket.getaddrinfo


def _guarded(original):
    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            _record(f"connect {address[0]}:{address[1]}")
            raise OSError(101, "Network is unreachable (blocked by test)")
        return original(self, address)

    return connect


def getaddrinfo(host, *args, **kwargs):
    if not _is_loopback(host):
        _record(f"lookup {host}")
        raise socket.gaierror(-2, "Name or service not known (blocked by test)")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = _guarded(_connect)
socket.socket.connect_ex = _guarded(_connect_ex)
socket.getaddrinfo = getaddrinfo
