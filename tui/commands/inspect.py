"""``provdesk inspect PATH...``: what a profile or an app really is, before anyone assigns it.

Each path is read by the real readers (signature verified, chain judged against Apple
Root CA, the store's anchors and any ``--trust`` file) and printed as facts or as the
error code and message. A profile whose signature is invalid or absent, or whose chain is
untrusted, is shown with its facts *and* ``ok: false`` and the error, so an admin sees
both what it claims and why iOS will refuse it. An app is verified whole (every code
signature, page and seal, innermost bundle first): its ``integrity`` lists each bundle
with the cdhash of each CodeDirectory, and ``ok`` is false, with the first problem as the
error, when iOS would refuse it. Exit 0 when every path is ok, 2 otherwise.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from store.errors import ParseError, ProvdeskError
from store.model import App, Profile, TrustAnchor, to_json
from store.rules.launch import expiry_refusals
from tui.commands.common import Context, print_json, print_lines
from tui.commands.inspect_text import app_lines, profile_lines

_PROFILE_KEYS = (
    "name", "uuid", "app_id_name", "app_id", "team_id", "team_name", "platforms", "created", "expires",
    "type", "device_count", "devices", "entitlements", "certificates", "signature", "trust", "file_sha256",
)
_APP_KEYS = (
    "name", "bundle_id", "version", "build", "min_os", "signing_certificate", "entitlements", "file_sha256",
)


def profile_json(profile: Profile) -> dict[str, Any]:
    """The ``profile`` object of ``--json``: the facts, not the store's bookkeeping."""
    data = to_json(profile)
    return {key: data[key] for key in _PROFILE_KEYS}


def app_json(app: App, checks: dict[str, bool]) -> dict[str, Any]:
    """The ``app`` object of ``--json``, with its embedded and nested profiles and the checks."""
    data = to_json(app)
    result = {key: data[key] for key in _APP_KEYS}
    result["embedded_profile"] = profile_json(app.embedded_profile) if app.embedded_profile else None
    result["nested"] = [
        {"path": n.path, "bundle_id": n.bundle_id,
         "embedded_profile": profile_json(n.embedded_profile) if n.embedded_profile else None}
        for n in app.nested
    ]
    result["checks"] = dict(checks)
    result["integrity"] = data["integrity"]
    return result


def inspect_path(path: Path, anchors: Sequence[TrustAnchor], now: datetime) -> dict[str, Any]:
    """One path as the ``--json`` object: ``path``, ``ok``, ``error``, ``kind``, and the facts.

    A file named ``.ipa`` is an app even when it is not a zip (the error says so), and an
    app's ``refused`` lists what iOS refuses it for today (an expired certificate or profile).
    """
    # The readers are imported here, not at the top: every start of `provdesk` builds this
    # verb's parser, and the console and `check` should not pay for them.
    from store.formats.ipa import read_ipa
    from store.formats.mobileprovision import MAX_PROFILE_BYTES, read_mobileprovision, trust_problem
    from store.formats.zipsafe import is_zip

    entry: dict[str, Any] = {"path": str(path), "ok": False, "error": None, "kind": "profile"}
    try:
        with path.open("rb") as stream:
            head = stream.read(4)
            if is_zip(head) or path.suffix.lower() == ".ipa":
                entry["kind"] = "app"
            if not is_zip(head):
                data = head + stream.read(MAX_PROFILE_BYTES)
    except OSError as exc:
        entry["error"] = ParseError("unreadable-file", f"cannot read {path}: {exc.strerror or exc}").as_json()
        return entry
    try:
        if entry["kind"] == "app":
            if not is_zip(head):
                raise ParseError("not-a-zip", f"{path.name} is not a zip archive, so not an .ipa")
            report = read_ipa(path, anchors)
            entry["app"] = app_json(report.app, report.checks)
            entry["app"]["refused"] = expiry_refusals(report.app, now)
            integrity = report.app.integrity
            entry["ok"] = integrity is None or integrity.ok
            if integrity is not None and integrity.problems:
                first = integrity.problems[0]
                entry["error"] = {"code": first.code, "message": f"{first.path}: {first.message}"}
            return entry
        profile = read_mobileprovision(data, anchors)
    except ParseError as error:
        entry["error"] = error.as_json()
        return entry
    entry["profile"] = profile_json(profile)
    problem = trust_problem(profile)
    entry["ok"] = problem is None
    entry["error"] = problem.as_json() if problem else None
    return entry


def trust_anchors(args: argparse.Namespace, context: Context) -> list[TrustAnchor]:
    """Anchors beyond Apple's: the store's (when one exists here) and each ``--trust`` file."""
    from store.formats.trust import anchor_from_pem

    anchors: list[TrustAnchor] = []
    from store.db.location import may_hold_a_store

    if may_hold_a_store(context.store_path):
        try:
            from store.db import Store

            anchors.extend(Store.open(context.store_path, context.clock, create=False).fleet().anchors)
        except ProvdeskError:
            pass
    for trust_file in args.trust or []:
        try:
            pem = Path(trust_file).read_bytes()
        except OSError as exc:
            raise ParseError("unreadable-file", f"cannot read {trust_file}: {exc.strerror or exc}") from None
        anchors.append(anchor_from_pem(pem, Path(trust_file).name))
    return anchors


def run_inspect(args: argparse.Namespace, context: Context) -> int:
    """Inspect every path; print JSON or readable blocks; 0 when all are ok, 2 when any is not."""
    anchors = trust_anchors(args, context)
    now = context.clock()
    results = [inspect_path(Path(p), anchors, now) for p in args.paths]
    if context.json:
        print_json(results)
    else:
        blocks: list[str] = []
        for entry in results:
            if blocks:
                blocks.append("")
            blocks.append(f"{entry['path']}  ({entry['kind']})")
            if "profile" in entry:
                blocks.extend(profile_lines(entry["profile"]))
            elif "app" in entry:
                blocks.extend(app_lines(entry["app"]))
            if entry["error"] and "app" not in entry:  # an app's problems are in its integrity lines
                blocks.append(f"  {entry['error']['code']}: {entry['error']['message']}")
        print_lines(blocks)
    return 0 if all(entry["ok"] for entry in results) else 2


def register(subparsers: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the ``inspect`` verb to the command line."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "inspect",
        help="read .mobileprovision and .ipa files: facts, signature, chain, and every problem",
        description=(
            "Read provisioning profiles and apps without importing them: the facts, whether "
            "Apple's signature holds and whom it chains to, and for an app its signing "
            "certificate, embedded profile, nested bundles and whether they fit, and its "
            "integrity: every code signature (page hashes, special slots, CMS, chain, team) "
            "and resource seal, per bundle with each cdhash. Exit 0 when every path is ok, "
            "2 when any is not."
        ),
    )
    add_common(parser)
    parser.add_argument("paths", nargs="+", metavar="PATH", help=".mobileprovision or .ipa files")
    parser.add_argument(
        "--trust", action="append", metavar="PEM",
        help="also trust this root certificate (PEM or DER); may be repeated",
    )
    parser.set_defaults(handler=run_inspect)
