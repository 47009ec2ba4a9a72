"""Microsoft Graph request bodies for Intune: what an admin would POST to upload and assign profiles.

Per profile: an ``iosLobAppProvisioningConfiguration`` (beta) body for
``POST /deviceAppManagement/iosLobAppProvisioningConfigurations`` and one
``iosLobAppProvisioningConfigurationAssignment`` body per target for
``POST .../iosLobAppProvisioningConfigurations/{id}/assignments``. provdesk knows groups by
name, not by their Entra ID object id, so ``groupId`` holds the group *name* as a
placeholder; each entry's ``groupIdPlaceholders`` lists the names to replace.
"""

from __future__ import annotations

import base64
from typing import Any

from store.model import ALL_DEVICES, ALL_USERS, Assignment, Profile, iso

ODATA = "#microsoft.graph."
PLACEHOLDER_NOTE = (
    "groupId holds the provdesk group name as a placeholder: replace each with the Entra ID group's object id"
)


def configuration_body(profile: Profile, payload: bytes) -> dict[str, Any]:
    """The ``iosLobAppProvisioningConfiguration`` body: names, the file base64, its expiry."""
    return {
        "@odata.type": f"{ODATA}iosLobAppProvisioningConfiguration",
        "displayName": profile.label,
        "description": profile.description,
        "payloadFileName": profile.file_name or f"{profile.uuid}.mobileprovision",
        "payload": base64.b64encode(payload).decode("ascii"),
        "expirationDateTime": iso(profile.expires),
        "version": 1,
    }


def _target(odata: str, group: str | None = None) -> dict[str, Any]:
    target: dict[str, Any] = {"@odata.type": f"{ODATA}{odata}"}
    if group is not None:
        target["groupId"] = group
    return target


def assignment_bodies(assignment: Assignment) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """Assignment bodies for every target, the placeholder group names, and what Graph cannot express."""
    targets: list[dict[str, Any]] = []
    placeholders: list[str] = []
    skipped: list[str] = []
    for name in sorted(assignment.include):
        if name == ALL_USERS:
            targets.append(_target("allLicensedUsersAssignmentTarget"))
        elif name == ALL_DEVICES:
            targets.append(_target("allDevicesAssignmentTarget"))
        else:
            targets.append(_target("groupAssignmentTarget", name))
            placeholders.append(name)
    for name in sorted(assignment.exclude):
        if name in (ALL_USERS, ALL_DEVICES):
            skipped.append(f"excluding {name} cannot be expressed in Graph; left out")
            continue
        targets.append(_target("exclusionGroupAssignmentTarget", name))
        placeholders.append(name)
    bodies = [{"@odata.type": f"{ODATA}iosLobAppProvisioningConfigurationAssignment", "target": t}
              for t in targets]
    return bodies, sorted(set(placeholders)), skipped


def graph_entry(profile: Profile, payload: bytes, assignment: Assignment) -> dict[str, Any]:
    """One profile's export: its configuration body and its assignment bodies, with notes."""
    bodies, placeholders, skipped = assignment_bodies(assignment)
    entry: dict[str, Any] = {
        "profileUuid": profile.uuid,
        "configuration": configuration_body(profile, payload),
        "assignments": bodies,
        "groupIdPlaceholders": placeholders,
        "notes": ([PLACEHOLDER_NOTE] if placeholders else []) + skipped,
    }
    return entry
