"""What the Add-app pane says about an .ipa before saving, as Create profile does for a profile:
the app, what it is signed with and until when, what iOS refuses it for today, the launch
checks that fail, and whether saving adds it or replaces a stored build."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from rich.text import Text

from store.model import App
from store.rules.launch import expiry_refusals
from tui.text import sanitize
from tui.timefmt import short_date
from tui.widgets.facts import facts


def ipa_preview(app: App, checks: Mapping[str, bool], stored: App | None, now: datetime) -> Text:
    """Verdict line, problems, then the facts read from the archive."""
    refusals = expiry_refusals(app, now)
    failed = [name for name, ok in checks.items() if not ok]
    if stored is not None:
        text = Text(f"= {app.bundle_id} IS STORED AS '{sanitize(stored.name)}': "
                    "ctrl+s asks to replace its build", style="bold yellow")
    elif refusals or failed:
        text = Text("! ADDS, BUT iOS WILL NOT LAUNCH IT AS IT IS (ctrl+s adds)", style="bold yellow")
    else:
        text = Text("✓ READY TO ADD (ctrl+s adds)", style="bold green")
    for problem in refusals + [f"check failed: {name}" for name in failed]:
        text.append("\n• " + sanitize(problem))
    cert, profile = app.signing_certificate, app.embedded_profile
    text.append("\n")
    text.append(facts([
        ("Name", app.name),
        ("Bundle ID", app.bundle_id),
        ("Version", f"{app.version} ({app.build})"),
        ("Signed by", f"{cert.common_name}, until {short_date(cert.not_after)}" if cert else "none"),
        ("Profile", f"{profile.label}, until {short_date(profile.expires)}" if profile else "none"),
    ]))
    return text
