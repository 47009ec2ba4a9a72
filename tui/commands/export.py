"""``export --format json|csv|graph [--output FILE]``: the store in a form another tool takes.

- ``json``: ``schema``, ``profiles`` (full facts), ``apps``, ``groups``, ``assignments``,
  ``anchors`` (label, sha256, builtin, demo), ``thresholds``.
- ``csv``: one row per profile and per app: ``kind``, ``id``, ``name``, ``type``,
  ``expires``, ``trust``, ``include``, ``exclude`` (group names joined by ``;``).
- ``graph``: Microsoft Graph bodies per profile (see :mod:`store.db.graph`): ``profileUuid``,
  ``configuration``, ``assignments``, ``groupIdPlaceholders``, ``notes``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from store.db.schema import SCHEMA
from store.model import Fleet, iso, to_json
from tui.commands.common import Context, print_lines
from tui.commands.storeio import open_store


def _json(fleet: Fleet) -> str:
    data = {
        "schema": SCHEMA, "profiles": to_json(fleet.profiles), "apps": to_json(fleet.apps),
        "groups": to_json(fleet.groups), "assignments": to_json(fleet.assignments),
        "anchors": [{"label": a.label, "sha256": a.sha256, "builtin": a.builtin, "demo": a.demo}
                    for a in fleet.anchors],
        "thresholds": to_json(fleet.thresholds),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _csv(fleet: Fleet) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kind", "id", "name", "type", "expires", "trust", "include", "exclude"])
    for p in fleet.profiles:
        a = fleet.assignment_for("profile", p.uuid)
        writer.writerow(["profile", p.uuid, p.label, p.type, iso(p.expires), p.trust,
                         ";".join(sorted(a.include)), ";".join(sorted(a.exclude))])
    for app in fleet.apps:
        a = fleet.assignment_for("app", app.bundle_id)
        profile = app.embedded_profile
        writer.writerow(["app", app.bundle_id, app.name, "app", iso(profile.expires) if profile else "", "",
                         ";".join(sorted(a.include)), ";".join(sorted(a.exclude))])
    return out.getvalue()


def run_export(args: argparse.Namespace, context: Context) -> int:
    """Write the export to ``--output`` (atomically enough: a whole string at once) or stdout."""
    store = open_store(context)
    fleet = store.fleet()
    if args.format == "json":
        text = _json(fleet)
    elif args.format == "csv":
        text = _csv(fleet)
    else:
        from store.db.graph import graph_entry  # only this format needs it

        entries: list[Any] = [
            graph_entry(p, store.profile_bytes(p.uuid), fleet.assignment_for("profile", p.uuid))
            for p in fleet.profiles
        ]
        text = json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        if not context.json:
            print_lines([f"wrote {args.format} export to {args.output}"])
    else:
        print(text, end="")
    return 0


def register(subparsers: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the ``export`` verb."""
    p = subparsers.add_parser("export", help="export the store as JSON, CSV or Microsoft Graph bodies")
    add_common(p)
    p.add_argument("--format", required=True, choices=("json", "csv", "graph"))
    p.add_argument("--output", metavar="FILE", help="write here instead of stdout")
    p.set_defaults(handler=run_export)
