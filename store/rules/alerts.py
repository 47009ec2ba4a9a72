"""Alerts: the groups that crossed into critical or expired between two timelines.

An open console compares each new timeline with the one it showed before, so a group that
turns critical or expired while an admin watches (a countdown crossing a threshold, another
admin's change) is announced once, not every time the screen redraws.
"""

from __future__ import annotations

from store.rules.effect import BROKEN, SEVERITY
from store.rules.timeline import Status, Timeline


def crossed(before: Timeline, after: Timeline) -> list[tuple[str, Status]]:
    """(group, new status) for every group now critical or expired that was less severe before.

    A group new in ``after`` is not announced (it was just added, not broken meanwhile).
    """
    old = {row.group: row.status for row in before.groups}
    return [
        (row.group, row.status) for row in after.groups
        if row.status in BROKEN and row.group in old and SEVERITY[row.status] > SEVERITY[old[row.group]]
    ]
