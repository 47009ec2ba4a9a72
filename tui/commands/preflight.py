"""``provdesk preflight PROFILE APP``: would iOS launch this app under this profile? Each check, and why.

Run before assigning: a profile that fails one launch check leaves the app crashing at
launch however widely it is assigned. PROFILE is a stored profile (UUID, unique prefix or
name) or a ``.mobileprovision`` file; APP a stored app (bundle ID or name) or an ``.ipa``
file, so a profile can be tried before it is imported. ``--group`` judges it for a whole
group (ad hoc and development profiles cannot cover one). Exit 0 when every check passes,
1 when one fails, 2 on error. ``--json``: ``{"profile", "app", "group", "ok", "checks":
[{"name", "ok", "reason"}]}`` (profile by UUID, app by bundle ID).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.errors import RefError
from store.model import BUILTIN_GROUPS, App, GroupKind, Profile, TrustAnchor
from store.rules.preflight import preflight
from tui.commands.common import Context, print_json, print_lines
from tui.commands.storeio import open_store, read_input

if TYPE_CHECKING:
    from store.db import Store

EXIT_FAILED = 1


class _Sources:
    """Opens the store only if an argument needs it (two files need no store)."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self._store: Store | None = None

    def store(self) -> Store:
        """The store, opened on first need (a missing store is an error only then)."""
        if self._store is None:
            self._store = open_store(self.context, create=False)
        return self._store

    def anchors(self) -> tuple[TrustAnchor, ...]:
        """The store's trust anchors when there is a store; Apple's root alone otherwise."""
        from store.db.location import may_hold_a_store

        if self._store is None and not may_hold_a_store(self.context.store_path):
            return ()
        return self.store().fleet().anchors

    def profile(self, ref: str) -> Profile:
        """A ``.mobileprovision`` file read with the store's anchors, else a stored profile by ref."""
        if Path(ref).is_file():
            from store.formats.mobileprovision import read_mobileprovision

            return read_mobileprovision(read_input(ref), self.anchors())
        return self.store().resolve_profile(ref)

    def app(self, ref: str) -> App:
        """An ``.ipa`` file read with the store's anchors, else a stored app by bundle ID or name."""
        if Path(ref).is_file():
            from store.formats.ipa import read_ipa

            return read_ipa(Path(ref), self.anchors()).app
        return self.store().resolve_app(ref)

    def group_kind(self, name: str) -> GroupKind:
        """The kind of a built-in or stored group; an unknown name is a ``RefError``."""
        if name in BUILTIN_GROUPS:
            return BUILTIN_GROUPS[name]
        for group in self.store().fleet().groups:
            if group.name == name:
                return group.kind
        raise RefError("unknown-group", f"no group named {name!r}")


def run_preflight(args: argparse.Namespace, context: Context) -> int:
    """Run every launch check of the profile against the app at the clock's ``now``."""
    sources = _Sources(context)
    profile, app = sources.profile(args.profile), sources.app(args.app)
    kind = sources.group_kind(args.group) if args.group else None
    result = preflight(profile, app, context.clock(), kind)
    if context.json:
        print_json({"profile": profile.uuid, "app": app.bundle_id, "group": args.group,
                    "ok": result.ok, "checks": result.checks})
    else:
        target = f" for group {args.group}" if args.group else ""
        verdict = "would launch" if result.ok else "would NOT launch"
        lines = [f"{app.bundle_id} under {profile.label} ({profile.uuid}){target}: {verdict}"]
        width = max(len(c.name) for c in result.checks)
        lines += [f"  {'pass' if c.ok else 'FAIL'}  {c.name:<{width}}  {c.reason}" for c in result.checks]
        print_lines(lines)
    return 0 if result.ok else EXIT_FAILED


def register(subparsers: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the ``preflight`` verb."""
    parser = subparsers.add_parser(
        "preflight", help="check a profile against an app as iOS would at launch",
        description="Each launch check iOS makes (signature, app ID, certificate, entitlements, install, "
        "expiry, integrity of the app's code signatures and seal) with pass or fail and the reason. "
        "PROFILE: stored UUID/prefix/name or a .mobileprovision file; APP: stored bundle ID/name or an "
        ".ipa file. Exit 0 all pass, 1 one fails, 2 error.",
    )
    add_common(parser)
    parser.add_argument("profile", metavar="PROFILE")
    parser.add_argument("app", metavar="APP")
    parser.add_argument("--group", metavar="GROUP", default=None,
                        help="judge it for a whole group (ad hoc and development profiles cannot cover one)")
    parser.set_defaults(handler=run_preflight)
