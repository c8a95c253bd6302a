"""Where the plugin listens: a unix socket as go-plugin does, else TCP.

go-plugin's server names its socket like `os.CreateTemp(dir, "plugin")`, in
PLUGIN_UNIX_SOCKET_DIR when set, and hands it to PLUGIN_UNIX_SOCKET_GROUP with
mode 0660 when that is set. TCP on 127.0.0.1 walks PLUGIN_MIN_PORT..MAX_PORT
in order, and is the fallback when no unix socket can be made (for instance a
socket directory whose path is too long for sun_path).
"""

from __future__ import annotations

import contextlib
import grp
import os
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterator

from ._handshake import HandshakeError

__all__ = [
    "SUN_PATH_MAX",
    "apply_socket_group",
    "candidate_ports",
    "new_socket_path",
    "remove_paths",
    "resolve_group",
]

SUN_PATH_MAX = 107  # bytes usable in sockaddr_un.sun_path on Linux (108 with the NUL)


def new_socket_path(directory: str | None) -> str:
    """A fresh, unused absolute path for a unix socket."""
    base = os.path.abspath(directory or tempfile.gettempdir())
    if not os.path.isdir(base):
        raise HandshakeError(
            f"PLUGIN_UNIX_SOCKET_DIR: expected an existing directory, got {base!r}"
        )
    fd, path = tempfile.mkstemp(prefix="plugin", dir=base)
    os.close(fd)
    os.unlink(path)
    if len(os.fsencode(path)) > SUN_PATH_MAX:
        raise HandshakeError(
            f"unix socket path {path!r} is {len(os.fsencode(path))} bytes, "
            f"longer than the {SUN_PATH_MAX} a unix socket allows"
        )
    return path


def resolve_group(group: str) -> int:
    """A group name or numeric gid, as PLUGIN_UNIX_SOCKET_GROUP carries it."""
    if group.isdigit():
        return int(group)
    try:
        return grp.getgrnam(group).gr_gid
    except KeyError:
        raise HandshakeError(
            f"PLUGIN_UNIX_SOCKET_GROUP: expected a group name or gid, got unknown group {group!r}"
        ) from None


def apply_socket_group(path: str, gid: int) -> None:
    try:
        os.chown(path, -1, gid)
        os.chmod(path, 0o660)
    except OSError as exc:
        raise HandshakeError(
            f"PLUGIN_UNIX_SOCKET_GROUP: cannot give {path!r} to gid {gid}: {exc.strerror}"
        ) from None


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def candidate_ports(
    low: int, high: int, is_free: Callable[[int], bool] = _port_free
) -> Iterator[int]:
    """Ports to try in order; (0, 0) means one try with port 0 (the OS picks)."""
    if low == 0 and high == 0:
        yield 0
        return
    for port in range(max(low, 1), high + 1):
        if is_free(port):
            yield port


def remove_paths(paths: list[str]) -> None:
    """Remove sockets and private directories on exit; missing ones are fine."""
    for path in paths:
        if os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(path)
