"""What replacing an app's .ipa with a new build settles: whether the re-sign mark can go.

An app is marked for re-signing because the certificate it is signed with is expiring
(or gone). A new build fixes that only when it is signed with another certificate that
lasts longer; a rebuild signed with the same certificate still needs the re-sign.
"""

from __future__ import annotations

from store.model import App


def resign_fixed(old: App, new: App) -> bool:
    """Whether ``new``'s signing certificate replaces ``old``'s with one that lasts longer."""
    before, after = old.signing_certificate, new.signing_certificate
    if after is None:
        return False
    if before is None:
        return True
    return after.sha256 != before.sha256 and after.not_after > before.not_after
