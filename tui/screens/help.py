"""``?``: every key of the console, read from the bindings themselves so it cannot go stale."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from tui.screens.detail import DetailBody

KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "backspace": "Backspace",
    "tab": "Tab",
}


def key_label(key: str) -> str:
    """``question_mark`` -> ``?``, ``ctrl+s`` -> ``ctrl+s``."""
    return ", ".join(KEY_NAMES.get(k, k) for k in key.split(","))


def sections() -> list[tuple[str, list[Any]]]:
    """Where each group of keys applies, and the classes that declare them."""
    from tui.screens.add_app import AddAppScreen
    from tui.screens.app_detail import AppDetailScreen
    from tui.screens.apps import AppsScreen
    from tui.screens.assign import AssignScreen, GroupChoice
    from tui.screens.base import FilteredListScreen
    from tui.screens.confirm import ConfirmScreen
    from tui.screens.conflict import ConflictScreen
    from tui.screens.create_profile import CreateProfileScreen
    from tui.screens.detail import DetailBody, DetailScreen
    from tui.screens.edit_profile import EditProfileScreen
    from tui.screens.group_detail import GroupDetailScreen
    from tui.screens.group_form import GroupFormScreen
    from tui.screens.groups import GroupsScreen
    from tui.screens.overview import OverviewScreen
    from tui.screens.profile_detail import ProfileDetailScreen
    from tui.screens.profiles import ProfilesScreen
    from tui.screens.triage import TriageScreen
    from tui.widgets.cursor_list import CursorList
    from tui.widgets.file_picker import FilePicker
    from tui.widgets.filter_bar import FilterBar
    from tui.widgets.record_table import RecordTable
    from tui.widgets.timeline import TimelineView

    return [
        ("Every list (overview, profiles, apps, groups, triage, audit)", [CursorList]),
        ("Overview", [OverviewScreen, TimelineView]),
        ("Lists (profiles, apps, groups, triage, audit)", [RecordTable]),
        ("Profiles, apps, audit log", [FilteredListScreen]),
        ("Filter box (after /)", [FilterBar]),
        ("Every detail screen (profile, app, group)", [DetailScreen, DetailBody]),
        ("Profiles", [ProfilesScreen]),
        ("Profile detail", [ProfileDetailScreen]),
        ("Create profile", [CreateProfileScreen, FilePicker]),
        ("Assign", [AssignScreen, GroupChoice]),
        ("Apps", [AppsScreen]),
        ("App detail", [AppDetailScreen]),
        ("Add app", [AddAppScreen]),
        ("Groups", [GroupsScreen]),
        ("Group detail", [GroupDetailScreen]),
        ("Triage", [TriageScreen]),
        ("Edit profile, new or edited group", [EditProfileScreen, GroupFormScreen]),
        ("Confirmation", [ConfirmScreen]),
        ("Changed underneath you", [ConflictScreen]),
        ("This help", [HelpScreen]),
    ]


def _bindings(owner: Any) -> list[Binding]:
    found: list[Binding] = []
    for item in getattr(owner, "BINDINGS", []):
        if isinstance(item, Binding):
            found.append(item)
        elif isinstance(item, tuple):
            found.append(Binding(*item))
    return found


def help_text(app_class: Any) -> Text:
    """Every binding with a description, grouped by where it applies."""
    text = Text()
    groups = [("Everywhere", [app_class]), *sections()]
    from tui.screens.overview import BAR_LEGEND

    text.append("ctrl+p   command palette: every action by name\n", style="bold")
    text.append(BAR_LEGEND + "\n")
    for title, owners in groups:
        text.append(f"\n{title}\n", style="bold underline")
        seen: set[str] = set()
        for owner in owners:
            for binding in _bindings(owner):
                label = key_label(binding.key)
                if not binding.description or label in seen:
                    continue
                seen.add(label)
                text.append(f"  {label:<12}", style="bold")
                text.append(f"{binding.description}\n")
    return text


class HelpScreen(ModalScreen[None]):
    """The key list; Escape or ``?`` closes it, j/k scroll."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "app.pop_screen", "Close"),
    ]

    def compose(self) -> ComposeResult:
        """A scrolling list of keys."""
        with DetailBody(id="help-body", can_focus=True):
            yield Static(help_text(type(self.app)), id="help-text")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Focus the body so j/k scroll."""
        self.query_one(DetailBody).focus()
