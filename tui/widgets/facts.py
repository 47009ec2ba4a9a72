"""Label/value blocks for the detail screens, built as Rich ``Text`` so values stay literal."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from store.model import AuditEvent, Certificate, IntuneOrigin
from tui.text import sanitize
from tui.timefmt import short_date, stamp
from tui.widgets.countdown import Countdown

LABEL_WIDTH = 14


def facts(rows: Iterable[tuple[str, object]]) -> Text:
    """``Label         value`` lines; values are sanitized and never parsed as markup."""
    text = Text()
    for index, (label, value) in enumerate(rows):
        if index:
            text.append("\n")
        text.append(f"{sanitize(label):<{LABEL_WIDTH - 1}} ", style="bold")
        text.append(sanitize(value))
    return text


def heading(title: str) -> Static:
    """A section title inside a detail screen."""
    return Static(Text(title, style="bold underline"), classes="heading")


def entitlements_text(entitlements: Mapping[str, Any]) -> Text:
    """Each entitlement on its own line, values as compact JSON (literal)."""
    if not entitlements:
        return Text("none", style="dim")
    rows = [
        (key, json.dumps(value, default=str, ensure_ascii=False))
        for key, value in sorted(entitlements.items())
    ]
    text = Text()
    for index, (key, value) in enumerate(rows):
        if index:
            text.append("\n")
        text.append(sanitize(key), style="bold")
        text.append(" = ")
        text.append(sanitize(value))
    return text


class CertificateRow(Horizontal):
    """One certificate with its own live countdown, then its name, kind and expiry date."""

    DEFAULT_CSS = "CertificateRow { height: 1; }"

    def __init__(self, certificate: Certificate, now: datetime) -> None:
        super().__init__()
        self.certificate = certificate
        self.now = now

    def compose(self) -> ComposeResult:
        """Countdown first, so a column of them lines up."""
        cert = self.certificate
        yield Countdown(cert.not_after, self.now)
        # The date first: at 80 columns a long common name would push it off the line.
        line = f"until {short_date(cert.not_after)} · {cert.kind} · {cert.common_name} · {cert.sha256[:12]}…"
        yield Static(Text(sanitize(line)), classes="cert-line")  # cut with … by app.tcss


def audit_text(events: Iterable[AuditEvent]) -> Text:
    """``when  who@where  action`` per event, newest first."""
    text = Text()
    for index, event in enumerate(events):
        if index:
            text.append("\n")
        text.append(stamp(event.at), style="dim")
        text.append(f"  {sanitize(event.actor)}@{sanitize(event.client or 'local')}  ")
        text.append(sanitize(event.action), style="bold")
    if not text.plain:
        text.append("no changes recorded", style="dim")
    return text


def source_facts(origin: IntuneOrigin | None) -> list[tuple[str, object]]:
    """Where a pulled record came from (nothing for records typed into provdesk)."""
    if origin is None:
        return []
    where = "gone from Intune" if origin.gone else "Intune"
    return [("Source", f"{where} · {origin.intune_id} · pulled {stamp(origin.pulled_at)}")]
