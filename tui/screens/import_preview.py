"""What the Create pane says about a file before saving: the facts read and every problem.

Problems come in plain words: the store's refusal (tampered, unsigned, untrusted,
duplicate), and its notes (not enterprise, already expired, already in the store).
When the store refuses a file, its facts are still read (without trusting them) so the
admin sees which profile it claims to be.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.text import Text

from store.model import Profile
from tui.text import sanitize
from tui.timefmt import short_date, until
from tui.widgets.facts import facts


@dataclass(frozen=True)
class Preview:
    """A store preview outcome, plus the untrusted facts when the store refused the file."""

    file_name: str
    outcome: Any
    facts: Profile | None


def problems(preview: Preview) -> list[str]:
    """Every problem with the file, one plain sentence each."""
    found: list[str] = []
    outcome = preview.outcome
    if outcome.error is not None:
        found.append(f"{outcome.error.message} ({outcome.error.code})")
    profile = outcome.profile or preview.facts
    if profile is not None and outcome.error is None:
        if profile.signature == "invalid":
            found.append("invalid signature: the file was changed after Apple signed it")
        elif profile.trust not in ("apple", "anchor"):
            found.append("untrusted: the signature does not chain to Apple or a trusted root")
    found.extend(outcome.notes)
    return found


def verdict(preview: Preview) -> Text:
    """The first line: will it import, is it already there, or why not."""
    status = preview.outcome.status
    if status == "failed":
        return Text("✖ WILL NOT IMPORT", style="bold red")
    if status == "unchanged":
        return Text("= ALREADY IN THE STORE (saving changes nothing)", style="bold yellow")
    if preview.outcome.notes:
        return Text("! IMPORTS, BUT KEEPS NO IN-HOUSE APP ALIVE (ctrl+s saves)", style="bold yellow")
    return Text("✓ READY TO IMPORT (ctrl+s saves)", style="bold green")


def preview_text(preview: Preview, now: datetime) -> Text:
    """Verdict, problems, then the facts read from the file."""
    text = verdict(preview)
    for problem in problems(preview):
        text.append("\n• ")
        text.append(sanitize(problem))
    profile = preview.outcome.profile or preview.facts
    if profile is not None:
        text.append("\n\n")
        text.append(
            facts(
                [
                    ("Name", profile.name),
                    ("Type", profile.type),
                    ("App ID", profile.app_id),
                    ("Team", f"{profile.team_name} ({profile.team_id})"),
                    ("Expires", f"{short_date(profile.expires)} ({until(profile.expires, now)})"),
                    ("Signature", f"{profile.signature}, trust {profile.trust}"),
                    ("Certificates", len(profile.certificates)),
                    ("UUID", profile.uuid),
                ]
            )
        )
    text.append("\n\nFile  ", style="bold")
    text.append(sanitize(preview.file_name))
    return text


def read_preview(store: Any, path: str, data: bytes) -> Preview:
    """Ask the store what importing would do; read the facts anyway when it refuses."""
    from store.formats.mobileprovision import read_mobileprovision

    outcome = store.preview_profile(path.rsplit("/", 1)[-1], data)
    facts_read: Profile | None = None
    if outcome.profile is None:
        try:
            facts_read = read_mobileprovision(data, store.fleet().anchors)
        except Exception:  # unreadable: the outcome's error already says why
            facts_read = None
    return Preview(path.rsplit("/", 1)[-1], outcome, facts_read)
