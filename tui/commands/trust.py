"""Trust verbs: ``trust add PEM --label L``, ``trust list``, ``trust remove REF``.

Apple Root CA is built in. An added root lets profiles it signs be imported (demo data,
or an organisation's own test CA). ``trust list --json`` prints ``label``, ``sha256``,
``builtin``, ``demo`` per anchor.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from store.model import TrustAnchor
from tui.commands.common import Context, emit, print_json, print_lines
from tui.commands.storeio import columns, open_store, read_input


def _row(anchor: TrustAnchor) -> dict[str, Any]:
    return {"label": anchor.label, "sha256": anchor.sha256, "builtin": anchor.builtin, "demo": anchor.demo}


def run_trust_add(args: argparse.Namespace, context: Context) -> int:
    """Add a root certificate as a trust anchor."""
    anchor = open_store(context, create=True).add_anchor(read_input(args.pem), args.label, demo=args.demo)
    emit(context, _row(anchor), [f"trusting {anchor.label} ({anchor.sha256})"])
    return 0


def run_trust_list(args: argparse.Namespace, context: Context) -> int:
    """List the anchors, Apple's first."""
    anchors = open_store(context).fleet().anchors
    if context.json:
        print_json([_row(a) for a in anchors])
        return 0
    rows = [[a.label, a.sha256, "built in" if a.builtin else ("demo" if a.demo else "")] for a in anchors]
    print_lines(columns(rows, ["LABEL", "SHA-256", ""]))
    return 0


def run_trust_remove(args: argparse.Namespace, context: Context) -> int:
    """Stop trusting an added anchor."""
    anchor = open_store(context).remove_anchor(args.ref)
    emit(context, _row(anchor), [f"no longer trusting {anchor.label} ({anchor.sha256})"])
    return 0


def register(subparsers: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``trust add|list|remove``."""
    trust = subparsers.add_parser("trust", help="manage the roots profiles may be signed under")
    verbs = trust.add_subparsers(dest="trust_verb", metavar="ACTION", required=True)
    p = verbs.add_parser("add", help="trust a root certificate (PEM or DER)")
    add_common(p)
    p.add_argument("pem", metavar="PEM")
    p.add_argument("--label", required=True, metavar="L")
    p.add_argument("--demo", action="store_true", help="mark it as a demo root")
    p.set_defaults(handler=run_trust_add)
    p = verbs.add_parser("list", help="list the trust anchors")
    add_common(p)
    p.set_defaults(handler=run_trust_list)
    p = verbs.add_parser("remove", help="stop trusting an added root")
    add_common(p)
    p.add_argument("ref", metavar="REF", help="SHA-256 (or a unique prefix) or label")
    p.set_defaults(handler=run_trust_remove)
