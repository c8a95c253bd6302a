"""Launch a plugin executable as Nomad's client would and check it answers.

    python smoke_plugin.py --name hello [--cwd DIR] -- COMMAND [ARG...]

Sets go-plugin's launch environment (magic cookie, protocol version, port
range), reads the handshake line from the plugin's stdout, dials the address
it names over gRPC (plaintext, as Nomad does: no AutoMTLS) and calls
BasePlugin.PluginInfo, which must answer with `--name`. Then stops the plugin
(SIGTERM, SIGKILL after a bound) and exits 0; any failure exits 1 with the
plugin's stderr. Used by check_package.sh (the installed wheel) and
check_ship.sh (a shipped executable copied alone into an empty directory).
"""

from __future__ import annotations

import argparse
import os
import selectors
import subprocess
import sys
import time

import grpc

from yurt._handshake import MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE
from yurt._proto.hashicorp.nomad.plugins.base.proto import base_pb2, base_pb2_grpc

# Generous: a first start of a shipped executable unpacks its packages.
HANDSHAKE_TIMEOUT_S = 120.0


def read_handshake(proc: subprocess.Popen[bytes], timeout: float) -> str:
    """The first stdout line, or an error naming what happened instead."""
    assert proc.stdout is not None
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    buf = b""
    while b"\n" not in buf:
        left = deadline - time.monotonic()
        if left <= 0:
            raise RuntimeError(f"no handshake line within {timeout:.0f}s (got {buf!r})")
        if not sel.select(left):
            continue
        chunk = os.read(proc.stdout.fileno(), 4096)
        if not chunk:
            raise RuntimeError(f"plugin closed stdout before a handshake line (got {buf!r})")
        buf += chunk
    return buf.split(b"\n", 1)[0].decode()


def smoke(command: list[str], name: str, cwd: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLUGIN_")}
    env.update(
        {
            MAGIC_COOKIE_KEY: MAGIC_COOKIE_VALUE,
            "PLUGIN_PROTOCOL_VERSIONS": "2",
            "PLUGIN_MIN_PORT": "10000",
            "PLUGIN_MAX_PORT": "25000",
        }
    )
    proc = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    ok = False
    try:
        line = read_handshake(proc, HANDSHAKE_TIMEOUT_S)
        parts = line.split("|")
        if len(parts) < 5 or parts[:2] != ["1", "2"] or parts[4] != "grpc":
            raise RuntimeError(f"handshake: expected '1|2|<net>|<addr>|grpc|', got {line!r}")
        target = f"unix:{parts[3]}" if parts[2] == "unix" else parts[3]
        with grpc.insecure_channel(target) as channel:
            stub = base_pb2_grpc.BasePluginStub(channel)
            info = stub.PluginInfo(base_pb2.PluginInfoRequest(), timeout=30)
        if info.name != name:
            raise RuntimeError(f"PluginInfo.name: expected {name!r}, got {info.name!r}")
        print(f"ok: {command[0]}: handshake {line!r}, PluginInfo name={info.name!r}")
        ok = True
    finally:
        proc.terminate()
        try:
            _, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        if not ok:
            sys.stderr.write(f"plugin stderr:\n{err.decode(errors='replace')}\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--name", required=True, help="the plugin name PluginInfo must answer")
    parser.add_argument("--cwd", help="working directory of the plugin process")
    parser.add_argument("command", nargs="+", help="the plugin executable and its arguments")
    args = parser.parse_args()
    try:
        smoke(args.command, args.name, args.cwd)
    except (RuntimeError, grpc.RpcError, OSError) as exc:
        print(f"FAIL: {' '.join(args.command)}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
