"""The console's Intune actions: pull, and push with the diff in a confirmation.

The network runs in thread workers; the UI thread only shows what comes back (a
notification, or the confirmation holding the diff). A push from the console is always
confirmed, removals spelled out in the question, so ``y`` there is the confirmation the
command line asks for with ``--yes``. Kept apart from the screens, which hold no rules.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from store.errors import ProvdeskError

INTUNE_GROUP = "intune"


def ago(moment: datetime, now: datetime) -> str:
    """``12 min ago``: the header's words for the time since the last pull."""
    minutes = max(0, int((now - moment).total_seconds() // 60))
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h ago"
    return f"{minutes // 1440} days ago"


def _fail(app: Any, error: ProvdeskError) -> None:
    app.call_from_thread(app.notify, error.message, title=error.code, severity="error", markup=False)


def start_pull(app: Any) -> None:
    """Pull the tenant in a worker; say what changed; reload."""
    from store.intune.sync import connect, pull

    def job() -> None:
        try:
            with connect(app.store) as client:
                summary = pull(app.store, client).summary()
        except ProvdeskError as error:
            _fail(app, error)
            return
        counts = ", ".join(f"{len(summary[k])} {k}" for k in ("added", "updated", "gone", "failed"))
        app.call_from_thread(app.notify, f"Pulled from Intune: {counts}", markup=False)
        app.call_from_thread(app.reload)

    app.run_worker(job, thread=True, group=INTUNE_GROUP, exclusive=True)


def push_question(label: str, lines: list[str], taken: int) -> str:
    """The confirmation: the profile, the diff, and what is taken away."""
    warning = f"\nThis takes {taken} assignment(s) away in Intune." if taken else ""
    return f"Push '{label}' to Intune?\n" + "\n".join(f"  {line}" for line in lines) + warning


def start_push(app: Any, uuid: str) -> None:
    """Read Intune and diff in a worker; ask with the diff; on yes, push in another worker."""
    from tui.screens.confirm import ConfirmScreen

    def prepare() -> None:
        from store.intune.sync import connect, prepare_push

        try:
            client = connect(app.store)
            prepared = prepare_push(app.store, client, uuid)
        except ProvdeskError as error:
            _fail(app, error)
            return
        diff = prepared.diff
        taken = len(diff.removed) + sum(1 for c in diff.changed if c.side == "exclude")
        question = push_question(prepared.profile.label, diff.lines(), taken)

        def answered(yes: bool | None) -> None:
            if yes:
                app.run_worker(lambda: execute(client, prepared), thread=True, group=INTUNE_GROUP)
            else:
                client.close()

        app.call_from_thread(app.push_screen, ConfirmScreen(question), answered)

    def execute(client: Any, prepared: Any) -> None:
        from store.intune.sync import execute_push

        try:
            with client:
                result = execute_push(app.store, client, prepared)
        except ProvdeskError as error:
            _fail(app, error)
        else:
            what = "created" if result.created else "updated" if result.updated else "in step"
            app.call_from_thread(app.notify, f"Pushed '{prepared.profile.label}' to Intune ({what})",
                                 markup=False)
        app.call_from_thread(app.reload)

    app.run_worker(prepare, thread=True, group=INTUNE_GROUP, exclusive=True)


def then_offer_push(app: Any, uuid: str, save: Callable[[Any], object]) -> Callable[[Any], object]:
    """A store call that saves, then (once saved) offers to push the profile to Intune."""

    def call(store: Any) -> object:
        result = save(store)
        app.call_from_thread(start_push, app, uuid)
        return result

    return call
