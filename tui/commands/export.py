"""``export --format json|csv|graph [--output FILE]``: the store in a form another tool takes.

- ``json``: ``schema``, ``profiles`` (full facts), ``apps``, ``groups``, ``assignments``,
  ``anchors`` (label, sha256, builtin, demo), ``thresholds``.
- ``csv``: one row per profile and per app; each column means one thing for both: ``kind``
  (profile|app), ``id`` (UUID|bundle ID), ``name``, ``profile_type``, ``profile_expires`` and
  ``profile_trust`` (the profile's, or for an app its embedded profile's), ``certificate_expires``
  (the profile's last certificate, or the app's signing certificate), ``include``, ``exclude``
  (group names joined by ``;``).
- ``graph``: Microsoft Graph bodies per profile (see :mod:`store.db.graph`): ``profileUuid``,
  ``configuration``, ``assignments``, ``groupIdPlaceholders``, ``notes``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from store.db.schema import SCHEMA
from store.errors import StoreError
from store.model import Fleet, TargetKind, iso, to_json
from tui.commands.common import Context, print_lines
from tui.commands.storeio import open_store


def export_json(fleet: Fleet) -> str:
    """The ``json`` format (also what the console's palette export writes)."""
    data = {
        "schema": SCHEMA, "profiles": to_json(fleet.profiles), "apps": to_json(fleet.apps),
        "groups": to_json(fleet.groups), "assignments": to_json(fleet.assignments),
        "anchors": [{"label": a.label, "sha256": a.sha256, "builtin": a.builtin, "demo": a.demo}
                    for a in fleet.anchors],
        "thresholds": to_json(fleet.thresholds),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = ["kind", "id", "name", "profile_type", "profile_expires", "profile_trust",
               "certificate_expires", "include", "exclude"]


def _csv(fleet: Fleet) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def groups(kind: TargetKind, target: str) -> list[str]:
        a = fleet.assignment_for(kind, target)
        return [";".join(sorted(a.include)), ";".join(sorted(a.exclude))]

    for p in fleet.profiles:
        last_cert = max((c.not_after for c in p.certificates), default=None)
        writer.writerow(["profile", p.uuid, p.label, p.type, iso(p.expires), p.trust, iso(last_cert) or "",
                         *groups("profile", p.uuid)])
    for app in fleet.apps:
        profile, cert = app.embedded_profile, app.signing_certificate
        writer.writerow(["app", app.bundle_id, app.name, profile.type if profile else "",
                         iso(profile.expires) if profile else "", profile.trust if profile else "",
                         iso(cert.not_after) if cert else "", *groups("app", app.bundle_id)])
    return out.getvalue()


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by its owner only (0600, like the store): exports hold
    profiles' bytes and assignments. An existing file is narrowed to 0600 before it is rewritten."""
    try:
        if path.exists():
            path.chmod(0o600)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as exc:
        raise StoreError("unwritable-output", f"cannot write {path}: {exc.strerror or exc}") from None


def run_export(args: argparse.Namespace, context: Context) -> int:
    """Write the export to ``--output`` (atomically enough: a whole string at once) or stdout."""
    store = open_store(context)
    fleet = store.fleet()
    if args.format == "json":
        text = export_json(fleet)
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
        write_private(Path(args.output), text)
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
