"""``intune login|logout|pull|push|status``: the bridge to an Intune tenant from the command line.

- ``login --tenant T --client-id ID [--certificate PEM]``: device code sign-in (prints
  Microsoft's URL and code on stderr, waits), or app-only with a certificate for cron.
  The tenant and client ID go in the store's settings; the token cache in the user data dir.
- ``pull [--dry-run]``: ``--json`` prints ``added``, ``updated``, ``gone``, ``failed``,
  ``unchanged``: lists of ``{kind, id, name}`` (``failed`` adds ``code`` and ``message``).
  Exit 2 when any object failed (the rest is applied).
- ``push PROFILE [--yes]``: prints the diff first; removals need ``--yes`` or ``y`` at
  the prompt (no TTY and no ``--yes``: exit 2, nothing sent). ``--json``: ``profile``,
  ``config_id``, ``created``, ``updated``, ``assigned``, ``diff``.
- ``status PROFILE``: ``--json``: ``profile``, ``config_id``, ``devices``, ``users``
  (``null`` when Intune gives no status: "status unavailable").
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from store.errors import StoreError
from tui.commands.common import Context, emit
from tui.commands.storeio import open_store

KINDS_SHOWN = ("added", "updated", "gone", "failed", "unchanged")


def _say(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def run_login(args: argparse.Namespace, context: Context) -> int:
    """Sign in, then remember the tenant and client ID (never a secret) in the store's settings."""
    from store.intune import auth
    from store.intune.graph import graph_root

    store = open_store(context, create=True)
    certificate = str(Path(args.certificate).resolve()) if args.certificate else None
    if certificate:
        auth.certificate_token(args.tenant, args.client_id, certificate, graph_root())
        who = f"app {args.client_id} (certificate)"
    else:
        who = auth.device_code_login(args.tenant, args.client_id, graph_root(), _say)
    store.set_intune_settings(args.tenant, args.client_id, certificate)
    emit(context, {"tenant": args.tenant, "client_id": args.client_id, "signed_in": who},
         [f"signed in to {args.tenant} as {who}"])
    return 0


def run_logout(args: argparse.Namespace, context: Context) -> int:
    """Remove the token cache (the tenant settings stay, for the next login)."""
    from store.intune import auth

    removed = auth.remove_cache(auth.cache_path())
    emit(context, {"removed": removed}, ["signed out: token cache removed" if removed else "not signed in"])
    return 0


def _entry_line(state: str, row: dict[str, str]) -> str:
    failure = f": {row['code']}: {row['message']}" if "code" in row else ""
    return f"{state:<9} {row['kind']:<7} {row['name']} ({row['id']}){failure}"


def run_pull(args: argparse.Namespace, context: Context) -> int:
    """Read the tenant and import it (or, with ``--dry-run``, say what would change)."""
    from store.intune.sync import connect, pull

    store = open_store(context, create=not args.dry_run)
    with connect(store) as client:
        plan = pull(store, client, dry_run=args.dry_run)
    summary = plan.summary()
    lines = [_entry_line(state, row) for state in KINDS_SHOWN[:-1] for row in summary[state]]
    counts = ", ".join(f"{len(summary[s])} {s}" for s in KINDS_SHOWN)
    lines.append(("dry run, nothing written: " if args.dry_run else "pulled: ") + counts)
    emit(context, summary, lines)
    return 2 if summary["failed"] else 0


def _confirm(count: int) -> bool:
    """``y`` at a prompt on a terminal; without one, no."""
    if not sys.stdin.isatty():
        return False
    _say(f"This removes {count} assignment(s) from Intune. Go ahead? [y/N] ")
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def run_push(args: argparse.Namespace, context: Context) -> int:
    """Diff, confirm removals, create or update the configuration, assign the full set, check it."""
    from store.intune.sync import connect, execute_push, prepare_push

    store = open_store(context)
    with connect(store) as client:
        prepared = prepare_push(store, client, args.profile)
        diff = prepared.diff
        taken = len(diff.removed) + sum(1 for c in diff.changed if c.side == "exclude")
        _say(f"Intune assignments of {prepared.profile.label!r}:")
        for line in diff.lines():
            _say(f"  {line}")
        if diff.needs_confirmation and not args.yes and not _confirm(taken):
            raise StoreError("intune-not-confirmed", f"the push would take {taken} assignment(s) away in "
                             "Intune: nothing was sent; confirm with --yes (or y at the prompt)")
        result = execute_push(store, client, prepared)
    what = "created" if result.created else "updated" if result.updated else "unchanged"
    emit(context, {"profile": prepared.profile.uuid, "config_id": result.config_id, "created": result.created,
                   "updated": result.updated, "assigned": result.assigned, "diff": diff.as_json()},
         [f"{prepared.profile.label}: configuration {result.config_id} {what}; "
          f"assignments {'set and checked' if result.assigned else 'already in step'}"])
    return 0


def _status_lines(rows: list[dict[str, Any]] | None, heading: str, fields: tuple[str, ...]) -> list[str]:
    if rows is None:
        return [f"{heading}: status unavailable"]
    return [f"{heading}:"] + ["  " + "  ".join(str(r.get(f) or "-") for f in fields) for r in rows]


def run_status(args: argparse.Namespace, context: Context) -> int:
    """Per-device and per-user install status as Intune reports it (or "status unavailable")."""
    from store.intune.sync import connect, status

    store = open_store(context)
    profile = store.resolve_profile(args.profile)
    if profile.intune is None or profile.intune.gone:
        raise StoreError("intune-not-pushed", f"{profile.label!r} is not in Intune: push it first")
    with connect(store) as client:
        found = status(client, profile.intune.intune_id)
    data = {"profile": profile.uuid, "config_id": profile.intune.intune_id, **found}
    lines = _status_lines(found["devices"], "devices", ("deviceDisplayName", "userPrincipalName", "status",
                                                        "lastReportedDateTime"))
    lines += _status_lines(found["users"], "users", ("userDisplayName", "userPrincipalName", "devicesCount",
                                                     "status"))
    emit(context, data, lines)
    return 0


def register(subparsers: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``intune`` and its verbs."""
    parser = subparsers.add_parser("intune", help="pull from and push to a Microsoft Intune tenant",
                                   description="The Intune bridge over Microsoft Graph (see README: Intune).")
    verbs = parser.add_subparsers(dest="intune_verb", metavar="VERB", required=True)
    login = verbs.add_parser("login", help="sign in (device code; --certificate for cron)")
    add_common(login)
    login.add_argument("--tenant", required=True, help="the tenant ID or domain")
    login.add_argument("--client-id", required=True, help="your app registration's client (application) ID")
    login.add_argument("--certificate", metavar="PEM", help="app-only sign-in: PEM with key and certificate")
    login.set_defaults(handler=run_login)
    logout = verbs.add_parser("logout", help="remove the token cache")
    add_common(logout)
    logout.set_defaults(handler=run_logout)
    pull = verbs.add_parser("pull", help="import the tenant's profiles, assignments, groups and LOB apps")
    add_common(pull)
    pull.add_argument("--dry-run", action="store_true", help="say what would change; write nothing")
    pull.set_defaults(handler=run_pull)
    push = verbs.add_parser("push", help="create or update a profile in Intune and set its assignments")
    add_common(push)
    push.add_argument("profile", metavar="PROFILE")
    push.add_argument("--yes", action="store_true", help="confirm removals without a prompt")
    push.set_defaults(handler=run_push)
    status = verbs.add_parser("status", help="per-device and per-user install status of a pushed profile")
    add_common(status)
    status.add_argument("profile", metavar="PROFILE")
    status.set_defaults(handler=run_status)
