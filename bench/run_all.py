"""Run every ``bench/*.py`` and print its JSON lines, then one human table of all figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Helpers, not benchmarks.
SKIP = {"__init__.py", "benchlib.py", "run_all.py", "ptyterm.py", "loopback_tenant.py"}


def main() -> int:
    """Run each script in its own process (cold caches, no shared state) and tabulate."""
    rows: list[dict[str, object]] = []
    failed = []
    for script in sorted(HERE.glob("*.py")):
        if script.name in SKIP:
            continue
        proc = subprocess.run(
            [sys.executable, "-m", f"bench.{script.stem}"], cwd=HERE.parent, capture_output=True, text=True
        )
        for line in proc.stdout.splitlines():
            print(line, flush=True)
            if line.startswith("{"):
                rows.append(json.loads(line))
        if proc.returncode != 0:
            failed.append(script.name)
            sys.stderr.write(proc.stderr)
    print()
    header = (
        f"{'bench':<8} {'metric':<34} {'value':>12} {'unit':<8} {'target':<14} "
        f"{'anchor value':>13} {'ratio':>8}  ok"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['bench']!s:<8} {r['metric']!s:<34} {r['value']!s:>12} {r['unit']!s:<8} "
            f"{r['target']!s:<14} {r['anchor_value']!s:>13} {r['ratio']!s:>8}  "
            f"{'yes' if r['ok'] else 'NO'}"
        )
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
