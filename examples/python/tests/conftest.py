"""Share the SDK's test host helpers (tests/gohost.py) and the example modules."""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve()
sys.path.insert(0, str(_HERE.parents[3] / "sdk-python" / "tests"))
# The example plugins themselves, for in-process tests with yurt.testing.
for _example in ("python-exec", "python-files"):
    sys.path.insert(0, str(_HERE.parents[1] / _example))
