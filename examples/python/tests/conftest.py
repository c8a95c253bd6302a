"""Share the SDK's test host helpers (tests/gohost.py) with the example tests."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "sdk-python" / "tests"))
