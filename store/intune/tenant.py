"""Reading the tenant: configurations, the groups they name, and the iOS LOB apps, as raw JSON.

Each read copes with both readings of what the research note marks uncertain: the list is
always asked with ``$expand=assignments`` (a plain list once came back empty), and an item
whose ``assignments`` are missing or empty is asked again through its ``/assignments``
segment; an item listed without its ``payload`` is fetched alone; a single entity wrapped
in ``{"value": ...}`` is unwrapped; an ``isof`` filter Graph refuses is done here instead.
Nothing is written here:
a pull reads everything first, so a failure half-way leaves the store untouched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from store.intune.errors import IntuneError
from store.intune.graph import GROUPS_SCOPE, GraphClient
from store.intune.mapping import Json

CONFIGS = "deviceAppManagement/iosLobAppProvisioningConfigurations"
APPS = "deviceAppManagement/mobileApps"
LOB_FILTER = "$filter=isof('microsoft.graph.iosLobApp')"
GROUP_FIELDS = "$select=id,displayName,description,groupTypes,membershipRule"


@dataclass(frozen=True)
class TenantGroup:
    """An Entra group and the ``@odata.type`` of its first page of members (for static groups)."""

    group: Json
    member_types: tuple[str, ...]


def _with_assignments(client: GraphClient, base: str, items: list[Json]) -> list[Json]:
    for item in items:
        if not item.get("assignments"):
            item["assignments"] = client.get_all(f"{base}/{item.get('id')}/assignments")
    return items


def configurations(client: GraphClient) -> list[Json]:
    """Every ``iosLobAppProvisioningConfiguration`` with its payload and assignments."""
    items = _with_assignments(client, CONFIGS, client.get_all(f"{CONFIGS}?$expand=assignments"))
    for item in items:
        if not item.get("payload"):
            item["payload"] = client.entity(f"{CONFIGS}/{item.get('id')}").get("payload")
    return items


def lob_apps(client: GraphClient) -> list[Json]:
    """Every ``iosLobApp`` with its assignments (all mobile apps, sorted here, if the filter is refused)."""
    try:
        items = client.get_all(f"{APPS}?{LOB_FILTER}&$expand=assignments")
    except IntuneError as error:
        if error.status != 400:
            raise
        items = client.get_all(f"{APPS}?$expand=assignments")
    lob = [i for i in items if str(i.get("@odata.type", "#microsoft.graph.iosLobApp")).endswith("iosLobApp")]
    return _with_assignments(client, APPS, lob)


def group(client: GraphClient, group_id: str, *, members: bool = True) -> TenantGroup | None:
    """One Entra group by ID (with its members' types unless ``members`` is false); ``None`` if gone (404)."""
    try:
        found = client.entity(f"groups/{group_id}?{GROUP_FIELDS}", version="v1.0", scope=GROUPS_SCOPE)
    except IntuneError as error:
        if error.status == 404:
            return None
        raise
    if found.get("membershipRule") or not members:
        return TenantGroup(found, ())
    page = next(client.pages(f"groups/{group_id}/members?$select=id&$top=100", version="v1.0",
                             scope=GROUPS_SCOPE), [])
    return TenantGroup(found, tuple(str(m.get("@odata.type", "")) for m in page))


def groups(client: GraphClient, ids: Iterable[str]) -> dict[str, TenantGroup]:
    """The groups that still exist among ``ids`` (the missing ones are simply absent)."""
    found: dict[str, TenantGroup] = {}
    for group_id in sorted(set(ids)):
        item = group(client, group_id)
        if item is not None:
            found[group_id] = item
    return found
