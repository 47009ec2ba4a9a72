"""The command palette (ctrl+p) holds every action: the sections, and each key of the
screen it was opened from, by its description, so nothing is only reachable by a key
one has to remember."""

from __future__ import annotations

from functools import partial
from typing import Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

SECTIONS = [
    ("Go to Overview", "section('overview')"),
    ("Go to Profiles", "section('profiles')"),
    ("Go to Apps", "section('apps')"),
    ("Go to Groups", "section('groups')"),
    ("Go to Triage", "section('triage')"),
    ("Go to Audit log", "section('audit')"),
    ("Help: every key", "help"),
    ("Reload the store", "reload"),
    ("Create profile", "create_profile"),
    ("Pull from Intune", "intune_pull"),
    ("Push profile to Intune", "intune_push"),
    ("Load demo data (empty store only)", "load_demo_data"),
    ("Quit", "quit"),
]


class ConsoleCommands(Provider):
    """App-wide actions plus the screen's own bindings."""

    def _commands(self) -> list[tuple[str, Any, str]]:
        app = self.app
        found: list[tuple[str, Any, str]] = [
            (title, partial(app.run_action, action), f"action: {action}") for title, action in SECTIONS
        ]
        seen = {title for title, _, _ in found}
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.description or not active.enabled or binding.action.startswith("app."):
                continue
            title = f"{binding.description} ({self.screen.__class__.__name__.removesuffix('Screen')})"
            if title in seen:
                continue
            seen.add(title)
            run = partial(cast(Any, active.node).run_action, binding.action)
            found.append((title, run, f"key: {binding.key}"))
        return found

    async def discover(self) -> Hits:
        """Everything, when nothing has been typed yet."""
        for title, callback, help_text in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """Fuzzy match on the command titles."""
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
