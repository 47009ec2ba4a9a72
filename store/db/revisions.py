"""The read-modify-write check of a console form: refuse a save whose record moved underneath it.

``Tx.put`` gives every write of a record a new ``revision``; a form remembers the revision
it opened and hands it back as ``expected_revision``. The repository mixins call
:func:`require_revision` inside their transaction, so the check and the write are under the
same lock: no other process can slip a change between them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from store.db.views import audit_events
from store.errors import ConflictError
from store.model import iso

if TYPE_CHECKING:
    from store.db.core import StoreCore


def require_revision(
    core: StoreCore, what: str, subject: str, current: Any, expected: int | None
) -> None:
    """Raise ``changed-underneath`` when ``current.revision`` is not ``expected`` (``None``: no check).

    The message names who changed ``what`` and when, from the latest audit event of ``subject``.
    """
    if expected is None or current.revision == expected:
        return
    latest = next(iter(audit_events(core, {subject}, 1)), None)
    who = f"{latest.actor}{f' ({latest.client})' if latest.client else ''}" if latest else "someone"
    when = f" at {iso(latest.at)}" if latest else ""
    raise ConflictError(
        f"{what} was changed by {who}{when} since you opened it (revision {expected} -> "
        f"{current.revision}); nothing was saved",
        current, latest.actor if latest else None, latest.at if latest else None,
    )
