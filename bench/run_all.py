"""Run every benchmark: each ``bench/bench_*.py`` module's ``main()``, with default sizes.

    python -m bench.run_all

A benchmark that fails is reported and the others still run; the exit status is 1 then.
"""

from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path


def modules() -> list[str]:
    """The benchmark modules, in name order."""
    folder = Path(__file__).parent
    return [f"bench.{path.stem}" for path in sorted(folder.glob("bench_*.py"))]


def run(name: str) -> bool:
    """Run one benchmark module's ``main()`` as if started alone; True when it succeeded."""
    print(f"## {name}", flush=True)
    saved, sys.argv = sys.argv, [name]
    try:
        importlib.import_module(name).main()
    except Exception:  # report and go on with the other benchmarks
        traceback.print_exc()
        return False
    finally:
        sys.argv = saved
    return True


def main() -> None:
    """Run every benchmark module; exit 1 when one of them failed."""
    failed = [name for name in modules() if not run(name)]
    if failed:
        print(f"## failed: {', '.join(failed)}", flush=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
