"""Assign a profile or an app to groups: include and exclude lists, the effect shown first.

Toggling a group recomputes the effect in a worker (two timelines diffed by the rules);
ctrl+s saves through ``store.assign(..., clear=True)``, so the lists are the whole truth,
checked against the revision the pane opened with: if another admin or process changed
the assignment meanwhile, the conflict screen offers to reapply the ticks on top. On a
profile pulled from Intune, saving then offers the push, its diff in the confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from store.errors import ConflictError
from store.model import Assignment, TargetKind
from store.rules.effect import Effect
from store.rules.rebase import rebase_assignment
from tui.host import host
from tui.screens.assign_effect import effect_of, effect_text
from tui.screens.changes import run_change
from tui.screens.confirm import ConfirmScreen
from tui.screens.conflict import Reapply, Resolver, StoreCall
from tui.screens.form import cancel_form
from tui.snapshot import Snapshot
from tui.text import sanitize


class GroupChoice(SelectionList[str]):
    """A list of groups to tick with space; j/k move; a ticked group also reads ``✓`` (no colour needed)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("space", "select", "Tick/untick"),
    ]

    def on_mount(self) -> None:
        """Mark the groups ticked from the start."""
        self.mark()

    def mark(self) -> None:
        """Prefix each prompt with ``✓`` when ticked: the checkbox alone differs only by colour."""
        chosen = set(self.selected)
        for index in range(self.option_count):
            option = self.get_option_at_index(index)
            name = option.value
            group_label = str(option.prompt)[2:]
            self.replace_option_prompt_at_index(index, Text(("✓ " if name in chosen else "  ") + group_label))


def choices(snapshot: Snapshot, chosen: frozenset[str]) -> list[Selection[str]]:
    """Built-ins first, then user groups, then device groups, each labelled with its kind."""
    groups = sorted(snapshot.fleet.groups, key=lambda g: (not g.builtin, g.kind, g.name.casefold()))
    return [Selection(Text(sanitize(f"  {g.name} ({g.kind})")), g.name, g.name in chosen) for g in groups]


class AssignScreen(Screen[None]):
    """Include and exclude lists side by side, the effect below; ctrl+s saves."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("tab", "app.focus_next", "Other list", show=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    IS_FORM = True

    @dataclass
    class EffectReady(Message):
        """The rules finished working out what saving would change (for these ticked sets)."""

        text: Text
        effect: Effect
        sets: tuple[frozenset[str], frozenset[str]]

    def __init__(self, kind: TargetKind, target: str) -> None:
        super().__init__()
        self.kind: TargetKind = kind
        self.target = target
        self._last: dict[str, set[str]] = {}
        self.opened = Assignment(kind, target)
        self._shown: AssignScreen.EffectReady | None = None

    def compose(self) -> ComposeResult:
        """Title, the two lists, the effect."""
        snapshot = host(self).snapshot
        assert snapshot is not None
        assignment = self.opened = snapshot.assignment(self.kind, self.target)
        label = snapshot.target_label(self.kind, self.target)
        yield Static(Text(sanitize(f"Assign {self.kind} · {label}"), style="bold"), id="detail-title")
        with Horizontal(id="assign-lists"):
            with Vertical():
                yield Label("Included groups", markup=False)
                yield GroupChoice(*choices(snapshot, assignment.include), id="include")
            with Vertical():
                yield Label("Excluded groups", markup=False)
                yield GroupChoice(*choices(snapshot, assignment.exclude), id="exclude")
        with VerticalScroll(id="assign-effect"):
            yield Static("working out the effect…", id="effect", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Focus the include list and show the effect of the current (unchanged) sets."""
        self.query_one("#include", GroupChoice).focus()
        include, exclude = self.chosen()
        self._last = {"include": include, "exclude": exclude}
        self._recompute()

    def chosen(self) -> tuple[set[str], set[str]]:
        """The ticked include and exclude groups."""
        include = set(self.query_one("#include", GroupChoice).selected)
        exclude = set(self.query_one("#exclude", GroupChoice).selected)
        return include, exclude

    @on(SelectionList.SelectedChanged)
    def _changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        """A group ticked on one side leaves the other (as ``store.assign`` would do)."""
        ticked = event.selection_list
        other_id = "#exclude" if ticked.id == "include" else "#include"
        other = self.query_one(other_id, GroupChoice)
        added = set(ticked.selected) - self._last.get(str(ticked.id), set())
        for name in added & set(other.selected):
            other.deselect(name)
        self._last = {"include": set(self.query_one("#include", GroupChoice).selected),
                      "exclude": set(self.query_one("#exclude", GroupChoice).selected)}
        for choice in self.query(GroupChoice):
            choice.mark()
        self._recompute()

    def _recompute(self) -> None:
        include, exclude = self.chosen()
        self._effect(include, exclude)

    @work(thread=True, exclusive=True)
    def _effect(self, include: set[str], exclude: set[str]) -> None:
        snapshot = host(self).snapshot
        if snapshot is None:
            return
        effect = effect_of(snapshot, self.kind, self.target, include, exclude)
        text = effect_text(snapshot, self.kind, self.target, include, exclude, effect)
        self.post_message(self.EffectReady(text, effect, (frozenset(include), frozenset(exclude))))

    @on(EffectReady)
    def _effect_ready(self, message: EffectReady) -> None:
        self._shown = message
        self.query_one("#effect", Static).update(message.text)

    def action_cancel(self) -> None:
        """Escape: close, asking first when groups were ticked or unticked."""
        include, exclude = self.chosen()
        cancel_form(self, (include, exclude) != (set(self.opened.include), set(self.opened.exclude)))

    def _alarms(self, include: set[str], exclude: set[str]) -> tuple[str, ...]:
        """What saving these sets would break (the shown effect's, else worked out now)."""
        shown = self._shown
        if shown is not None and shown.sets == (frozenset(include), frozenset(exclude)):
            return shown.effect.alarms
        snapshot = host(self).snapshot
        if snapshot is None:
            return ()
        return effect_of(snapshot, self.kind, self.target, include, exclude).alarms

    def action_save(self) -> None:
        """Replace this target's include/exclude sets with the ticked groups (asking first if that breaks
        something: a group going critical or expired, an app added that cannot launch)."""
        include, exclude = self.chosen()
        both = include & exclude
        if both:
            self.notify(
                f"A group cannot be both included and excluded: {', '.join(sorted(both))}",
                severity="error",
                markup=False,
            )
            return
        edited = Assignment(self.kind, self.target, frozenset(include), frozenset(exclude))
        alarms = self._alarms(include, exclude)
        if not alarms:
            self._save(edited)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._save(edited)

        question = "Saving this assignment breaks things:\n" + "\n".join(f"• {a}" for a in alarms)
        self.app.push_screen(ConfirmScreen(question + "\n\nSave anyway?"), answered)

    def _save(self, edited: Assignment) -> None:
        """Save in the app's change worker (revision-checked) and close the pane.

        On a profile pulled from Intune, the save then offers the push, its diff confirmed.
        """
        save = save_assignment(edited, self.opened.revision)
        snapshot = host(self).snapshot
        profile = snapshot.profiles.get(self.target) if snapshot and self.kind == "profile" else None
        if profile is not None and profile.intune is not None and not profile.intune.gone:
            from tui.intune_console import then_offer_push

            save = then_offer_push(self.app, self.target, save)
        run_change(self, "Assignment saved", save, assignment_resolver(self.opened, edited))
        if self.app.screen is self:
            self.dismiss(None)


def save_assignment(assignment: Assignment, revision: int) -> StoreCall:
    """The store call that makes ``assignment`` the whole truth, if it is still at ``revision``."""

    def call(store: Any) -> object:
        return store.assign(assignment.target_kind, assignment.target, assignment.include,
                            assignment.exclude, clear=True, expected_revision=revision)

    return call


def sets_text(assignment: Assignment) -> str:
    """``include A, B · exclude C``: an assignment in one line."""
    include = ", ".join(sorted(assignment.include)) or "nobody"
    exclude = ", ".join(sorted(assignment.exclude)) or "nobody"
    return f"include {include} · exclude {exclude}"


def assignment_resolver(opened: Assignment, edited: Assignment) -> Resolver:
    """On a conflict: the admin's ticks and unticks (since ``opened``) reapplied on the current sets."""

    def resolve(error: ConflictError) -> Reapply:
        current: Assignment = error.current  # type: ignore[assignment]
        merged = rebase_assignment(opened, edited, current)
        return Reapply(sets_text(current), sets_text(merged), save_assignment(merged, current.revision))

    return resolve
