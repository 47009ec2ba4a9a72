"""The command palette (ctrl+p) holds every action: the sections, and each key of the
screen it was opened from, by its description, so nothing is only reachable by a key
one has to remember. Entries read as people talk ("Delete (profile detail)", key ``x``),
never as action strings, and the words admins search for ("delete", "export") find them."""

from __future__ import annotations

from functools import partial
from typing import Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

SECTIONS = [
    ("Go to Overview", "section('overview')", "key 1"),
    ("Go to Profiles", "section('profiles')", "key 2"),
    ("Go to Apps", "section('apps')", "key 3"),
    ("Go to Groups", "section('groups')", "key 4"),
    ("Go to Triage", "section('triage')", "key 5"),
    ("Go to Audit log", "section('audit')", "key 6"),
    ("Help: every key", "help", "key ?"),
    ("Reload the store", "reload", "key ctrl+r"),
    ("Create profile (import a .mobileprovision)", "create_profile", "key n on the overview"),
    ("Export the store as JSON to your home folder", "export_store", "also: provdesk export"),
    ("Pull from Intune", "intune_pull", "also: provdesk intune pull"),
    ("Push profile to Intune", "intune_push", "on a profile's detail"),
    ("Load demo data (empty store only)", "load_demo_data", "key d on an empty overview"),
    ("Quit", "quit", "key q"),
]
KEY_WORDS = {"escape": "Esc", "enter": "Enter", "space": "Space", "slash": "/", "question_mark": "?"}


def screen_words(screen: object) -> str:
    """``ProfileDetailScreen`` -> ``profile detail``."""
    name = type(screen).__name__.removesuffix("Screen")
    return "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()


class ConsoleCommands(Provider):
    """App-wide actions plus the screen's own bindings."""

    def _commands(self) -> list[tuple[str, Any, str]]:
        app = self.app
        found: list[tuple[str, Any, str]] = [
            (title, partial(app.run_action, action), keys) for title, action, keys in SECTIONS
        ]
        seen = {title for title, _, _ in found}
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if (not binding.description or not binding.show or not active.enabled
                    or binding.action.startswith("app.")):
                continue
            title = f"{binding.description} ({screen_words(self.screen)})"
            if title in seen:
                continue
            seen.add(title)
            run = partial(cast(Any, active.node).run_action, binding.action)
            found.append((title, run, f"key {KEY_WORDS.get(binding.key, binding.key)}"))
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
