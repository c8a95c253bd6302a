"""Write the SDK's dataclass-method cache (see yurt._dcache): `python -m yurt._precompile [PATH]`.

Run after installing or changing the SDK, as `compileall` is for bytecode; `make -C sdk-python
venv` and `scripts/bench.sh` do.
"""

from __future__ import annotations

import sys

from ._dcache import CACHE_PATH, write_cache


def main(argv: list[str]) -> int:
    path = argv[1] if len(argv) > 1 else CACHE_PATH
    n = write_cache(path)
    print(f"yurt._precompile: {n} dataclass methods compiled into {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
