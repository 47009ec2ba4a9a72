"""The console application: owns the store, the clock and the current snapshot.

It loads the store in a worker, publishes each new :class:`Snapshot` through the
``snapshot`` reactive that every screen watches, polls ``store.has_changed()`` so
changes made by another admin or a cron job show within seconds, and drives the
countdowns through one :class:`Ticker`. Screens hold no rules and no store state.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from textual import events, on, work
from textual._compositor import CompositorUpdate
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.screen import Screen

from store.clock import Clock
from store.errors import ConflictError, ProvdeskError, StoreError
from store.rules.alerts import crossed
from tui.messages import ChangeConflict, LoadFailed, SnapshotLoaded, StoreChanged
from tui.providers.actions import ConsoleCommands
from tui.screens.apps import AppsScreen
from tui.screens.audit import AuditScreen
from tui.screens.conflict import ConflictScreen, Resolver
from tui.screens.form import is_form
from tui.screens.groups import GroupsScreen
from tui.screens.help import HelpScreen
from tui.screens.overview import OverviewScreen
from tui.screens.profiles import ProfilesScreen
from tui.screens.triage import TriageScreen
from tui.snapshot import Snapshot, load_snapshot
from tui.theme import THEMES, theme_name
from tui.ticker import Ticker
from tui.wire import Wire

POLL_SECONDS = 0.5  # has_changed() is a stat or a look at received NOTIFYs: cheap enough


class ProvdeskApp(App[int]):
    """The provdesk console; ``store`` and ``clock`` are given so tests can freeze both."""

    CSS_PATH = "app.tcss"
    TITLE = "provdesk"
    MODES: ClassVar[dict[str, Any]] = {
        "overview": OverviewScreen,
        "profiles": ProfilesScreen,
        "apps": AppsScreen,
        "groups": GroupsScreen,
        "triage": TriageScreen,
        "audit": AuditScreen,
    }
    DEFAULT_MODE = "overview"
    COMMANDS = App.COMMANDS | {ConsoleCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "section('overview')", "Overview", show=False),
        Binding("2", "section('profiles')", "Profiles", show=False),
        Binding("3", "section('apps')", "Apps", show=False),
        Binding("4", "section('groups')", "Groups", show=False),
        Binding("5", "section('triage')", "Triage", show=False),
        Binding("6", "section('audit')", "Audit log", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("escape", "go_back", "Back", show=False),
        Binding("ctrl+r", "reload", "Reload", show=False),
        Binding("q", "quit", "Quit"),
    ]

    snapshot: var[Snapshot | None] = var(None, always_update=True)

    def __init__(
        self, store: Any, clock: Clock, *, mouse: bool = True, theme: str | None = None, bell: bool = True
    ) -> None:
        # Under NO_COLOR, Textual would turn colours into greys of poor contrast; with
        # ansi_color it strips them instead, and the stylesheets' ``:nocolor`` rules mark
        # the cursor with reverse video and emphasis with bold.
        super().__init__(ansi_color=True if "NO_COLOR" in os.environ else None)
        self.store = store
        self.clock = clock
        self.mouse = mouse
        self.ring = bell
        for registered in THEMES:
            self.register_theme(registered)
        self.theme = theme_name(theme)
        self.ticker = Ticker(self, clock)
        self.animation_level = "none"  # over SSH an animation is a stream of frames
        self.wire = Wire()
        self._pointer_shape_sent = ""

    def _display(self, screen: Screen[Any], renderable: Any) -> None:
        """Send the terminal only the cells that changed (see ``tui/wire.py``)."""
        written = not self._batch_count and self._running and not self._closed and self._driver is not None
        if isinstance(renderable, CompositorUpdate) and written and not (self.is_headless or self.is_inline):
            # Only frames Textual really writes reach the shadow (a batched frame is dropped).
            renderable = self.wire.update(renderable, self.console)
        super()._display(screen, renderable)

    def _set_pointer_shape(self, shape: str) -> None:
        """The pointer's shape (an escape sequence per screen switch) only matters with the
        mouse on, and only when it changes."""
        if self.mouse and shape != self._pointer_shape_sent:
            self._pointer_shape_sent = shape
            super()._set_pointer_shape(shape)

    def on_resize(self, event: events.Resize) -> None:
        """A resized terminal may have reflowed or cleared what it showed."""
        self.wire.forget()

    def on_load(self) -> None:
        """Start reading the store before the first screen is built: the two overlap."""
        self.action_reload()

    def on_mount(self) -> None:
        """The change poll and the countdown ticker."""
        self.app_resume_signal.subscribe(self, lambda _app: self.wire.forget())
        self.set_interval(POLL_SECONDS, self._poll, name="store-poll")
        self.ticker.poke()

    def reload(self) -> None:
        """Re-read the store in a worker (screens call this after their own changes)."""
        self.action_reload()

    def action_reload(self) -> None:
        """Re-read the store and redraw every screen."""
        self._load()

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        try:
            snapshot = load_snapshot(self.store, self.clock())
        except ProvdeskError as error:
            self.post_message(LoadFailed(error))
            return
        self.post_message(SnapshotLoaded(snapshot))

    def _poll(self) -> None:
        """A cheap look for others' commits (no table read): reload only when someone else wrote."""
        try:
            changed = bool(self.store.has_changed())
        except ProvdeskError:
            changed = True
        for notice in self.store.take_notices():
            self.notify(notice, title="store", markup=False)
        if changed:
            self.action_reload()

    @on(SnapshotLoaded)
    def _publish(self, message: SnapshotLoaded) -> None:
        previous = self.snapshot
        self.snapshot = message.snapshot
        self.ticker.poke()
        if previous is not None:
            self._alert(crossed(previous.timeline, message.snapshot.timeline))

    def _alert(self, groups: Sequence[tuple[str, str]]) -> None:
        """A toast (and the bell unless ``--no-bell``) for each group that just turned critical or expired."""
        for group, status in groups:
            self.notify(f"{group} is now {status.upper()}", title="Group status", severity="error",
                        markup=False, timeout=10)
        if groups and self.ring:
            self.bell()

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        self.notify(message.error.message, title=message.error.code, severity="error", markup=False)

    @on(StoreChanged)
    def _changed(self, message: StoreChanged) -> None:
        self.notify(message.summary, markup=False)
        self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``q`` and the section keys only when no form is open: a stray key never leaves a form."""
        if action in ("quit", "section") and is_form(self.screen):
            return False
        return not (action == "quit" and len(self.screen_stack) > 1)

    def action_section(self, mode: str) -> None:
        """Show one of the six sections (its screen keeps its place between visits)."""
        if self.current_mode != mode:
            self.switch_mode(mode)
        self.ticker.poke()

    def action_go_back(self) -> None:
        """Escape: close the pushed screen, else return to the overview."""
        if len(self.screen_stack) > 1:
            self.pop_screen()
        elif self.current_mode != "overview":
            self.switch_mode("overview")
        self.ticker.poke()

    def action_help(self) -> None:
        """Every key of every screen, in one list."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_create_profile(self) -> None:
        """The Create profile pane, from anywhere."""
        from tui.screens.create_profile import CreateProfileScreen

        self.push_screen(CreateProfileScreen())

    def action_export_store(self) -> None:
        """Write the store as JSON (0600) to the home folder, named by the date."""
        from pathlib import Path

        from tui.commands.export import export_json, write_private

        target = Path.home() / f"provdesk-export-{self.clock():%Y%m%d-%H%M%S}.json"
        self.run_change(f"Exported the store to {target}",
                        lambda store: write_private(target, export_json(store.fleet())))

    def action_intune_pull(self) -> None:
        """Pull the tenant's profiles, assignments, groups and apps (palette: Pull from Intune)."""
        from tui.intune_console import start_pull

        self.notify("Pulling from Intune…")
        start_pull(self)

    def action_intune_push(self) -> None:
        """Push the profile on screen to Intune, diff confirmed first (palette: Push profile to Intune)."""
        from tui.intune_console import start_push

        uuid = getattr(self.screen, "uuid", None)
        if not isinstance(uuid, str):
            self.notify("Open a profile first (2, then Enter), then push it to Intune.", severity="warning")
            return
        start_push(self, uuid)

    def action_load_demo_data(self) -> None:
        """Load the demo data set, only into an empty store (never mixed with real data)."""
        if self.snapshot is not None and not self.snapshot.empty:
            self.notify(
                "The store is not empty: the demo data goes only into an empty store.", severity="warning"
            )
            return
        self.notify("Loading the demo data…")
        self.load_demo()

    @work(thread=True, group="change")
    def run_change(
        self, summary: str, call: Callable[[Any], object], resolve: Resolver | None = None,
        close: Callable[[], object] | None = None,
    ) -> None:
        """Run one change against the store off the UI thread; report it, then reload.

        A form's save refused as ``changed-underneath`` goes to the conflict screen when the
        form gave a ``resolve`` (how to reapply its edit); otherwise it is one error line.
        ``close`` (a form closing itself) runs once the change lands or goes to the conflict
        screen: a plain refusal leaves the form open with what was typed.
        """
        try:
            call(self.store)
        except ConflictError as error:
            if close is not None:
                self.call_from_thread(close)
            self.post_message(ChangeConflict(summary, error, resolve) if resolve else LoadFailed(error))
            return
        except ProvdeskError as error:
            self.post_message(LoadFailed(error))
            return
        if close is not None:
            self.call_from_thread(close)
        self.post_message(StoreChanged(summary))

    @on(ChangeConflict)
    def _conflict(self, message: ChangeConflict) -> None:
        """Show who changed the record and the new state; reapply on top or discard, as the admin says."""
        self.action_reload()
        reapply = message.resolve(message.error)

        def answered(again: bool | None) -> None:
            if again:
                self.run_change(message.summary, reapply.call, message.resolve)
            else:
                self.notify("Your edit was discarded; the store keeps the other change.", markup=False)

        self.push_screen(ConflictScreen(message.error, reapply), answered)

    @work(thread=True, exclusive=True, group="demo")
    def load_demo(self) -> None:
        """Fill the empty store with the demo data set (runs the real import path)."""
        try:
            from store.demo.loader import load_demo
        except ImportError:
            self.post_message(LoadFailed(StoreError("no-demo", "the demo data set is not installed")))
            return
        try:
            load_demo(self.store, self.clock())
        except ProvdeskError as error:
            self.post_message(LoadFailed(error))
            return
        self.post_message(StoreChanged("Demo data loaded"))


def run_console(context: Any, *, mouse: bool, theme: str | None, bell: bool = True) -> int:
    """Open the store named on the command line and run the console until the admin quits."""
    from store.db import Store
    from tui.commands.storeio import offer_to_create

    offer_to_create(context.store_path)
    store = Store.open(context.store_path, context.clock)
    app = ProvdeskApp(store, context.clock, mouse=mouse, theme=theme, bell=bell)
    result = app.run(mouse=mouse)
    return int(result or 0)
