"""Keep stdout for the go-plugin handshake line until it is written.

go-plugin's host reads the plugin's stdout line by line and the FIRST line
must be the handshake (`core|app|network|addr|protocol|cert`); any earlier
line makes the launch fail with a misleading message. So before any plugin
code can print, `install()` keeps a private duplicate of the real stdout for
the handshake and points fd 1 (which `sys.stdout` writes to) at a pipe whose
contents a thread copies to stderr, preceded by ONE hclog JSON warning line.
After the handshake `_stdio.redirect_process_stdio` points fd 1 at the stdio
stream; the guard's pipe then reaches EOF and its thread ends.

`import yurt` installs it when the go-plugin magic cookie is in the
environment (the process was launched by a host), so a print in the plugin's
module or constructor after `import yurt` is caught too. Output written
before `import yurt` cannot be: the host's launch diagnostics name "output on
stdout before serving" as a likely cause then.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import threading
from collections.abc import Mapping

from ._constants import MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE

__all__ = ["WARNING", "handshake_fd", "install", "install_if_launched"]

WARNING = "plugin wrote to stdout before the go-plugin handshake; sent to stderr"

_lock = threading.Lock()
_handshake_fd: int | None = None


def _warning_line() -> bytes:
    when = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    entry = {"@level": "warn", "@message": WARNING, "@timestamp": when, "@module": "yurt"}
    return (json.dumps(entry, separators=(",", ":")) + "\n").encode()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _pump(read_fd: int) -> None:
    warned = False
    while True:
        try:
            data = os.read(read_fd, 65536)
        except InterruptedError:
            continue
        except OSError:
            break
        if not data:
            break
        try:
            if not warned:
                warned = True
                _write_all(2, _warning_line())
            _write_all(2, data)
        except OSError:
            pass  # the host is gone (EPIPE): drop, keep draining
    os.close(read_fd)


def install() -> int:
    """Guard fd 1 (idempotent); returns the descriptor the handshake goes to."""
    global _handshake_fd
    with _lock:
        if _handshake_fd is not None:
            return _handshake_fd
        real = os.dup(1)  # non-inheritable: children never get the host's pipe
        read_fd, write_fd = os.pipe()
        os.dup2(write_fd, 1)  # sys.stdout writes to fd 1; still-buffered text lands here too
        os.close(write_fd)
        threading.Thread(
            target=_pump, args=(read_fd,), name="yurt-stdout-guard", daemon=True
        ).start()
        _handshake_fd = real
        return real


def handshake_fd() -> int | None:
    """The real stdout kept for the handshake, or None before install()."""
    return _handshake_fd


def install_if_launched(environ: Mapping[str, str] = os.environ) -> None:
    """install() when a go-plugin host launched this process (its magic cookie is set)."""
    if environ.get(MAGIC_COOKIE_KEY) == MAGIC_COOKIE_VALUE:
        with contextlib.suppress(OSError):  # no fd 1 at all: nothing to guard
            install()


# At import (the first thing `import yurt` does): see the module docstring.
install_if_launched()
