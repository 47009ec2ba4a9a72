"""What every benchmark shares: timing, and the one JSON-line shape `make bench` reads.

Each figure is printed beside its anchor (the naive way, or what a user would otherwise
use) measured in the same run, because these machines are noisy and only ratios compare.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
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


def demo_profiles(label: str, now: datetime, apps: int) -> tuple[bytes, Callable[[int], bytes]]:
    """A demo PKI (EC, fast) and a maker of real signed enterprise profiles under it.

    Returns the root's PEM (the store must trust it) and ``make(index)``: profile ``index``
    of team BENCHTEAM1 for ``com.bench.app{index % apps}``, made 10 days before ``now``,
    expiring 55 to 355 days after it.
    """
    from cryptography.hazmat.primitives import serialization

    from store.demo.pki import make_intermediate, make_leaf, make_root
    from store.demo.signing import make_profile

    root = make_root(f"bench {label} root", key_type="ec")
    ca = make_intermediate(root, f"bench {label} CA", key_type="ec")
    valid = {"not_before": now - timedelta(days=400), "not_after": now + timedelta(days=900)}
    leaf = make_leaf(ca, f"bench {label} signing", kind="profile-signing", key_type="ec", **valid)
    dist = make_leaf(ca, "iPhone Distribution: Bench", "BENCHTEAM1", key_type="ec", **valid)

    def make(index: int) -> bytes:
        return make_profile(
            leaf, [ca.cert], name=f"Bench profile {index}", uuid=str(uuid.uuid4()), team_id="BENCHTEAM1",
            team_name="Bench", app_id=f"com.bench.app{index % apps}", app_id_name=f"bench {index}",
            created=now - timedelta(days=10), expires=now + timedelta(days=355 - index % 300),
            certificates=[dist.cert],
        )

    return root.cert.public_bytes(serialization.Encoding.PEM), make


def main_guard(run: Callable[[], None]) -> None:
    """Run a bench script; a failure is reported on stderr with a non-zero exit."""
    try:
        run()
    except KeyboardInterrupt:
        sys.exit(130)
