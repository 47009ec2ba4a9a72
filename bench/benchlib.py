"""What every benchmark shares: timing, and the one JSON-line shape `make bench` reads.

Each figure is printed beside its anchor (the naive way, or what a user would otherwise
use) measured in the same run, because these machines are noisy and only ratios compare.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any


def timed(work: Callable[[], Any], repeat: int = 1) -> float:
    """Best wall-clock seconds of ``repeat`` runs of ``work`` (best, to shed noise)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def figure(
    bench: str,
    metric: str,
    value: float,
    unit: str,
    target: str,
    ok: bool,
    anchor: str,
    anchor_value: float,
) -> dict[str, Any]:
    """Print one figure as a JSON line and return it.

    ``target`` is the issue's figure in words (e.g. ``"<= 0.5 s"``); ``ratio`` is
    value / anchor_value, so a reader sees how far ahead of the anchor we are.
    """
    ratio = value / anchor_value if anchor_value else None
    line = {
        "bench": bench,
        "metric": metric,
        "value": round(value, 6),
        "unit": unit,
        "target": target,
        "ok": bool(ok),
        "anchor": anchor,
        "anchor_value": round(anchor_value, 6),
        "ratio": float(f"{ratio:.4g}") if ratio is not None else None,
    }
    print(json.dumps(line), flush=True)
    return line


def main_guard(run: Callable[[], None]) -> None:
    """Run a bench script; a failure is reported on stderr with a non-zero exit."""
    try:
        run()
    except KeyboardInterrupt:
        sys.exit(130)
