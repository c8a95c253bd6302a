"""Stray stdout before the handshake: it goes to stderr with one warning, the launch works.

go-plugin's host takes the FIRST stdout line as the handshake; a print before it
breaks the launch. These launch real plugin processes the way a host does and
read the handshake from their stdout (gohost.launch refuses anything else there).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from gohost import PLUGINS, host_env, launch

from yurt._stdoutguard import WARNING

NOISY = f"""
import os, sys
sys.path.insert(0, {str(PLUGINS)!r})
import yurt
print("stray at import", flush=True)
from sample_device import Sample

class Noisy(Sample):
    def __init__(self):
        super().__init__()
        print("stray in constructor", flush=True)
        sys.stdout.write("stray still buffered")  # no newline, no flush
        os.system("echo stray from a child")  # inherits fd 1

yurt.serve(Noisy())
"""


def _wait_for(plugin, needles: list[str], timeout: float = 20.0) -> str:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        text = "".join(plugin.stderr_lines())
        if all(n in text for n in needles) or time.monotonic() > deadline:
            return text
        time.sleep(0.05)


def test_stray_stdout_before_serving_goes_to_stderr_with_one_warning(tmp_path: Path) -> None:
    script = tmp_path / "noisy.py"
    script.write_text(NOISY)
    # launch() fails unless stdout holds exactly the handshake line.
    plugin = launch(script, host_env(), timeout=30)
    try:
        assert plugin.handshake.core == 1
        assert plugin.handshake.app == 2
        needles = [
            "stray at import",
            "stray in constructor",
            "stray still buffered",
            "stray from a child",
            WARNING,
        ]
        text = _wait_for(plugin, needles)
        for needle in needles:
            assert needle in text, f"{needle!r} not on stderr: {text!r}"
        warnings = [line for line in plugin.stderr_lines() if WARNING in line]
        assert len(warnings) == 1, warnings
        entry = json.loads(warnings[0])
        assert entry["@level"] == "warn"
        assert entry["@message"] == WARNING
        assert plugin.proc.poll() is None
    finally:
        plugin.kill()


def test_a_quiet_plugin_gets_no_warning() -> None:
    plugin = launch(PLUGINS / "sample_device.py", host_env(), timeout=30)
    try:
        time.sleep(0.5)  # give a (wrong) warning the time to appear
        assert not any(WARNING in line for line in plugin.stderr_lines())
    finally:
        plugin.kill()


def test_import_yurt_leaves_stdout_alone_outside_a_plugin_launch() -> None:
    env = {k: v for k, v in host_env().items() if k != "NOMAD_PLUGIN_MAGIC_COOKIE"}
    proc = subprocess.run(
        [sys.executable, "-c", "import yurt; print('plain output', flush=True)"],
        env=env,
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b"plain output\n"
    assert WARNING.encode() not in proc.stderr
