"""The Intune pull figure of issue 9, beside the bare HTTP it needs, measured in the same run.

- ``pull_500_configs_200_apps_cli``: ``provdesk intune pull`` in a fresh interpreter (process
  start included) against the loopback tenant: 500 configurations (10 pages of 50, 5
  assignments each, every payload a real signed profile whose signature is checked), 200 iOS
  LOB apps (4 pages) and the 20 groups they name, into an empty store; best of three.
  Anchor: the very requests that pull made, replayed with plain ``httpx`` in one loop in
  this process, reading each body and parsing nothing.

Run: ``.venv/bin/python -m bench.intune``.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid as uuidlib
from datetime import UTC, datetime
from pathlib import Path

from bench.benchlib import demo_profiles, figure, timed
from bench.loopback_tenant import ODATA, Tenant, exclude, include, serve

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = "intune"
CONFIGS, APPS, GROUPS, PAGE = 500, 200, 20, 50
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def build_tenant() -> tuple[Tenant, bytes]:
    """The tenant, and the PEM of the root its payloads are signed under."""
    root_pem, make = demo_profiles("intune", NOW, APPS)
    tenant = Tenant(token="bench-token", page_size=PAGE)
    groups = [tenant.add_group(f"Group {g}", rule=f'(user.department -eq "D{g}")') if g % 2 else
              tenant.add_group(f"Devices {g}", members=("device",) * 3) for g in range(GROUPS)]
    for i in range(CONFIGS):
        data = make(i)
        targets = (*(include(groups[(i + k) % GROUPS]) for k in range(4)), exclude(groups[(i + 9) % GROUPS]))
        tenant.add_config(f"Bench {i}", base64.b64encode(data).decode(), f"bench{i}.mobileprovision", targets)
    for a in range(APPS):
        assigned = [{"id": "x", "intent": "required", "target": include(groups[a % GROUPS])}]
        tenant.apps.append({"@odata.type": f"{ODATA}iosLobApp", "id": str(uuidlib.uuid4()),
                            "displayName": f"App {a}", "bundleId": f"com.bench.app{a}",
                            "versionNumber": "1.0",
                            "buildNumber": "1", "expirationDateTime": "2027-01-01T00:00:00Z",
                            "assignments": assigned})
    return tenant, root_pem


def main() -> None:
    """Time the CLI pull (best of three, each into a fresh store), then the bare replay of its requests."""
    import httpx

    from store.clock import fixed_clock
    from store.db import Store

    tenant, root_pem = build_tenant()
    tmp = Path(tempfile.mkdtemp(prefix="provdesk-bench-intune-"))
    seed = tmp / "seed"
    Store.open(seed, fixed_clock(NOW)).add_anchor(root_pem, "bench intune root", demo=True)
    runs: list[float] = []
    with serve(tenant) as url:
        env = {**os.environ, "PROVDESK_GRAPH_URL": url, "PROVDESK_GRAPH_TOKEN": tenant.token}
        for attempt in range(3):
            target = tmp / f"run{attempt}"
            shutil.copytree(seed, target)
            tenant.requests.clear()
            argv = [sys.executable, "-m", "tui.cli", "--store", str(target), "intune", "pull", "--json"]
            began = time.perf_counter()
            proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
            runs.append(time.perf_counter() - began)
            if proc.returncode != 0 or '"failed": []' not in proc.stdout:
                raise SystemExit(f"pull failed: {proc.stderr or proc.stdout[-500:]}")
        paths = [path for method, path in tenant.requests if method == "GET"]
        headers = {"Authorization": f"Bearer {tenant.token}"}
        with httpx.Client(headers=headers, timeout=30) as client:
            def replay() -> None:
                for path in paths:
                    client.get(url + path).read()
            anchor = timed(replay, repeat=2)
    pulled = min(runs)
    figure(BENCH, "pull_500_configs_200_apps_cli", pulled, "s", "<= 5 s", pulled <= 5.0,
           f"the same {len(paths)} GETs with plain httpx in one loop, no parsing", anchor)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    from bench.benchlib import main_guard

    main_guard(main)
