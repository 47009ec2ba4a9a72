"""The check a re-signed archive must pass before it is published: provdesk's own integrity verification.

The re-signer never trusts itself: the written archive is read back by the same reader
``provdesk inspect`` and the store use, whose code-signature verification
(``store.formats.codesign``) decides. An archive it cannot judge counts as failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from store.errors import ParseError
from store.model import Integrity, IntegrityProblem, TrustAnchor


def verify_archive(path: Path, anchors: Sequence[TrustAnchor], now: datetime) -> Integrity:
    """The integrity verdict of the archive at ``path`` (``now`` is when it must hold)."""
    from store.formats.ipa import read_ipa

    del now  # the verdict is about signatures and seals; expiry was refused before signing
    try:
        integrity = read_ipa(path, anchors).app.integrity
    except ParseError as error:
        return Integrity(False, (IntegrityProblem(error.code, str(path), error.message),))
    if integrity is None:
        return Integrity(False, (IntegrityProblem("not-verified", str(path), "no integrity verdict"),))
    return integrity


__all__ = ["verify_archive"]
