"""A store the admin may only read: the console shows every screen but offers no edits.

The store says whether it is read-only (a directory this user may not write, or a
database role without UPDATE rights); screens ask :func:`allows` before showing an
editing key, so the footer, ``?`` and the command palette leave them out.
"""

from __future__ import annotations

from textual.dom import DOMNode

from tui.host import host

EDIT_ACTIONS = frozenset({
    "create", "load_demo", "add", "assign", "resign", "delete", "edit", "use_suggestion",
})


def is_read_only(node: DOMNode) -> bool:
    """Whether the console's store refuses changes from this user."""
    return bool(getattr(host(node).store, "read_only", False))


def allows(node: DOMNode, action: str) -> bool:
    """Whether ``action`` may be offered: every action, except edits on a read-only store."""
    return action not in EDIT_ACTIONS or not is_read_only(node)
