"""Certificate-chain evaluation: signer, intermediates, up to a pinned or admin-added root.

Trust comes only from fingerprints (Apple Root CA pinned, or an admin's anchor): the
file's own root counts only when its fingerprint matches one. Validity is judged at signing
time, not now, because every profile signed before 2022 has an expired signer today and
iOS does not hold that against it. Signature checks between certificates are cached by
fingerprint pair: the same Apple intermediate signs every profile of a fleet.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from store.formats import crypto
from store.formats.trust import anchor_certificates
from store.formats.x509 import ParsedCert
from store.model import Trust, TrustAnchor

_MAX_DEPTH = 8
_CACHE_LIMIT = 4096
_issued: dict[tuple[str, str], bool] = {}


def issued_by(child: ParsedCert, parent: ParsedCert) -> bool:
    """Whether ``parent`` names and signs ``child`` (cached by the two fingerprints)."""
    if not parent.names_issuer_of(child):
        return False
    key = (child.sha256, parent.sha256)
    known = _issued.get(key)
    if known is None:
        known = crypto.verify(parent.spki, child.signature, child.tbs, child.hash_name)
        if len(_issued) >= _CACHE_LIMIT:
            _issued.clear()
        _issued[key] = known
    return known


def _walk(
    signer: ParsedCert, pool: Sequence[ParsedCert], anchors: Sequence[TrustAnchor]
) -> tuple[Trust, list[ParsedCert]]:
    """Build the path upward; the verdict before dates are considered, and the path taken.

    A certificate whose named issuer is present (in the file or among the anchors) but did
    not sign it is ``untrusted`` (a wrong root); one whose issuer is nowhere is ``incomplete``.
    """
    roots = anchor_certificates(anchors)
    pinned = {cert.sha256: trust for cert, trust in roots}
    path = [signer]
    current = signer
    for _ in range(_MAX_DEPTH):
        if current.sha256 in pinned:
            return pinned[current.sha256], path
        for root, trust in roots:
            if issued_by(current, root):
                path.append(root)
                return trust, path
        if current.self_issued:
            return "untrusted", path
        seen = {cert.sha256 for cert in path}
        candidates = [c for c in pool if c.sha256 not in seen and c.names_issuer_of(current)]
        parent = next((c for c in candidates if issued_by(current, c)), None)
        if parent is None:
            named = candidates or [root for root, _ in roots if root.names_issuer_of(current)]
            return ("untrusted" if named else "incomplete"), path
        path.append(parent)
        current = parent
    return "incomplete", path


def evaluate_chain(
    signer: ParsedCert,
    pool: Sequence[ParsedCert],
    anchors: Sequence[TrustAnchor] = (),
    signed_at: datetime | None = None,
) -> Trust:
    """``apple``, ``anchor``, ``untrusted`` or ``incomplete`` for a signer and the certificates beside it.

    ``pool`` is what the file carries; it only supplies intermediates. A chain with any
    certificate outside its validity at ``signed_at`` is untrusted.
    """
    verdict, path = _walk(signer, pool, anchors)
    if verdict not in ("apple", "anchor") or signed_at is None:
        return verdict
    if not all(cert.valid_at(signed_at) for cert in path):
        return "untrusted"
    return verdict
