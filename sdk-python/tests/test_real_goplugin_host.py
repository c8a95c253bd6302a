"""The plugin under a real hashicorp/go-plugin v1.8.0 host (tests/goplugin_host).

This is the host library Nomad uses, so it is the final word on the handshake,
AutoMTLS with its P-521 client certificate, health, stdio, and Shutdown/Kill.
Skipped where no Go toolchain is installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gohost import PLUGINS

HOST_SRC = Path(__file__).resolve().parent / "goplugin_host"
SAMPLE = PLUGINS / "sample_device.py"

pytestmark = pytest.mark.skipif(shutil.which("go") is None, reason="needs the Go toolchain")


@pytest.fixture(scope="module")
def host_binary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gohost") / "goplugin_host"
    subprocess.run(
        ["go", "build", "-o", str(out), "."],
        cwd=HOST_SRC,
        check=True,
        timeout=540,
        env={**os.environ, "CGO_ENABLED": "0"},
    )
    return out


@pytest.mark.parametrize("automtls", [False, True], ids=["plaintext", "automtls"])
def test_go_plugin_host_launches_pings_calls_and_kills(host_binary: Path, automtls: bool) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLUGIN_")}
    env["YURT_TEST_AUTOMTLS"] = "1" if automtls else "0"
    proc = subprocess.run(
        [str(host_binary), sys.executable, str(SAMPLE)],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    report = json.loads(proc.stdout)
    assert (report["name"], report["type"], report["version"]) == ("sample", 3, "1.2.3")
    assert report["negotiated_version"] == 2
    assert report["exited"] is True
    # go-plugin waits 2 s for exit after Shutdown before it SIGKILLs.
    assert report["kill_ms"] < 1500, report["host_log"][-2000:]
    log = report["host_log"]
    assert "plugin failed to exit gracefully" not in log
    assert "stdio service not available" not in log
    assert "plugin serving" in log  # our hclog JSON line was parsed and re-logged
    assert f"tls={'true' if automtls else 'false'}" in log
    # What the plugin printed after the handshake arrived through GRPCStdio.
    assert report["synced_stdout"] == "sample configured\n"
