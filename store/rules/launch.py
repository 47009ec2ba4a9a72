"""Whether iOS still launches an app, judged from the app alone: its certificate and its profile.

``inspect`` on an .ipa says so in words (issue 10): an app whose signing certificate or
embedded profile has expired is refused by iOS at launch, whatever Intune delivers.
"""

from __future__ import annotations

from datetime import datetime

from store.model import App, iso


def expiry_refusals(app: App, now: datetime) -> list[str]:
    """One sentence per expired part of ``app`` (empty: nothing it carries has expired)."""
    found = []
    cert = app.signing_certificate
    if cert is not None and cert.not_after <= now:
        found.append(f"its signing certificate expired on {iso(cert.not_after)}: "
                     "iOS refuses to launch it until it is re-signed")
    profile = app.embedded_profile
    if profile is not None and profile.expires <= now:
        found.append(f"its embedded profile expired on {iso(profile.expires)}: "
                     "iOS refuses to launch it unless a newer profile covering it is installed")
    return found
