"""Pull, push and status end to end: the tenant read, mapped, decided and applied via the Store API.

Every network read happens before the store is touched, so a tenant that cannot be reached
(or answers an error half-way) leaves the store exactly as it was. A push is split in two:
:func:`prepare_push` reads Intune and computes the diff (nothing sent); the caller shows it
and asks; :func:`execute_push` creates or updates the configuration, posts the full
assignment set once, reads it back and records the outcome, failing loudly on a mismatch.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from store.db.graph import configuration_body
from store.errors import ProvdeskError, StoreError
from store.intune import tenant
from store.intune.diff import PushDiff, out_of_step, push_diff, same_targets
from store.intune.errors import IntuneError
from store.intune.graph import GraphClient, graph_root
from store.intune.mapping import (
    Json,
    Pulled,
    app_from_graph,
    canonical,
    group_from_graph,
    profile_from_graph,
    referenced_groups,
    sets_of,
    target_key,
)
from store.intune.plan import PullPlan, plan_pull
from store.model import IntuneOrigin, Profile, parse_iso

if TYPE_CHECKING:
    from store.db import Store
    from store.db.intune import IntuneState

CONFIGS = tenant.CONFIGS
_COMPARED = ("displayName", "description", "payloadFileName", "payload")


def connect(store: Store) -> GraphClient:
    """A Graph client with this store's tenant and the best token at hand (see :mod:`store.intune.auth`)."""
    from store.intune.auth import bearer_token

    root = graph_root()
    return GraphClient(bearer_token(store.intune_settings(), root), root)


@dataclass(frozen=True)
class Tenant:
    """Everything one pull read, already mapped (a failing payload is a :class:`Pulled` with its error)."""

    profiles: tuple[Pulled, ...]
    apps: tuple[Pulled, ...]
    groups: tuple[Pulled, ...]


def read_tenant(store: Store, client: GraphClient) -> Tenant:
    """Read configurations, LOB apps and every group they (or the store) name; map them."""
    now = store.clock()

    def check(file_name: str, data: bytes) -> tuple[Profile | None, ProvdeskError | None]:
        outcome = store.check_profile(file_name, data)
        return outcome.profile, outcome.error

    profiles = tuple(profile_from_graph(c, check, now) for c in tenant.configurations(client))
    apps = tuple(app_from_graph(a, now) for a in tenant.lob_apps(client))
    known = {g.intune.intune_id for g in store.fleet().groups if g.intune is not None}
    found = tenant.groups(client, referenced_groups(profiles + apps) | known)
    groups = tuple(group_from_graph(g.group, g.member_types, now) for g in found.values())
    return Tenant(profiles, apps, groups)


def pull(store: Store, client: GraphClient, *, dry_run: bool = False) -> PullPlan:
    """Read the tenant and apply the plan in one audited transaction (``dry_run``: decide only)."""
    from store.db.intune import IntuneState

    read = read_tenant(store, client)

    def decide(state: IntuneState) -> PullPlan:
        return plan_pull(
            profiles=read.profiles, apps=read.apps, groups=read.groups, stored_profiles=state.profiles,
            stored_apps=state.apps, stored_groups=state.groups, assignments=state.assignments,
            now=state.now, actor=state.actor,
        )

    if dry_run:
        fleet = store.fleet()
        return decide(IntuneState(fleet.profiles, fleet.apps, fleet.groups, fleet.assignments,
                                  store.clock(), store.actor))
    result = store.apply_intune_pull(decide)
    assert isinstance(result, PullPlan)
    return result


@dataclass(frozen=True)
class PreparedPush:
    """A push decided but not sent: the profile, its file, Intune's configuration (if any) and the diff."""

    profile: Profile
    payload: bytes
    config_id: str | None
    config: Json | None
    current: tuple[Json, ...]
    diff: PushDiff
    group_ids: dict[str, str]


def _config(client: GraphClient, config_id: str) -> Json | None:
    try:
        return client.entity(f"{CONFIGS}/{config_id}")
    except IntuneError as error:
        if error.status == 404:
            return None
        raise


def prepare_push(store: Store, client: GraphClient, ref: str) -> PreparedPush:
    """Read Intune's side of ``ref`` and diff it against provdesk's assignment; nothing is sent."""
    profile = store.resolve_profile(ref)
    assignment = store.fleet().assignment_for("profile", profile.uuid)
    gone = sorted((assignment.include | assignment.exclude) & store.intune_gone_groups())
    if gone:
        raise StoreError("intune-group-gone", f"group {gone[0]!r} was deleted in Entra ID: remove it "
                         "from the assignment, then push")
    group_ids = store.intune_group_ids()
    origin = profile.intune
    config_id = origin.intune_id if origin is not None and not origin.gone else None
    config = _config(client, config_id) if config_id else None
    if config is None:
        config_id = None
    current = tuple(a["target"] for a in (client.get_all(f"{CONFIGS}/{config_id}/assignments")
                                          if config_id else ()) if isinstance(a.get("target"), dict))
    diff = push_diff(current, assignment, group_ids)
    names = {gid: name for name, gid in group_ids.items()}
    for target in diff.desired:
        group_id = target_key(target["target"])[1]
        if group_id in names and tenant.group(client, str(group_id), members=False) is None:
            raise IntuneError("intune-group-gone", f"group {names[group_id]!r} was deleted in Entra ID "
                              "since the last pull: run provdesk intune pull, then push again")
    payload = store.profile_bytes(profile.uuid)
    return PreparedPush(profile, payload, config_id, config, current, diff, group_ids)


def _body(prepared: PreparedPush) -> Json:
    body = configuration_body(prepared.profile, prepared.payload)
    body.pop("version", None)  # Intune's own counter: not ours to set
    return body


def _differs(config: Json, body: Json) -> bool:
    if any(config.get(k) != body.get(k) for k in _COMPARED):
        return True
    try:
        return parse_iso(config.get("expirationDateTime")) != parse_iso(body.get("expirationDateTime"))
    except (TypeError, ValueError):
        return True


@dataclass(frozen=True)
class PushResult:
    """What a push did: the configuration's ID, whether it was created/updated/assigned."""

    config_id: str
    created: bool
    updated: bool
    assigned: bool


def execute_push(store: Store, client: GraphClient, prepared: PreparedPush,
                 reread_delay: float = 1.0) -> PushResult:
    """Send the push; read the assignments back; record it (audited); raise if Intune differs."""
    body = _body(prepared)
    config_id, created, updated = prepared.config_id, False, False
    if config_id is None:
        made = client.write("POST", CONFIGS, body) or {}
        config_id, created = str(made.get("id") or ""), True
        if not config_id:
            raise IntuneError("intune-graph", "Intune created the configuration but returned no ID")
    elif prepared.config is not None and _differs(prepared.config, body):
        client.write("PATCH", f"{CONFIGS}/{config_id}", body)
        updated = True
    sent = [t["target"] for t in prepared.diff.desired]
    assigned = not prepared.diff.empty or (created and bool(sent))
    read_back: list[Any] = list(prepared.current)
    try:
        if assigned:
            client.write("POST", f"{CONFIGS}/{config_id}/assign",
                         {"iOSLobAppProvisioningConfigAssignments": list(prepared.diff.desired)})
        read_back = _targets(client, config_id)
        if not same_targets(sent, read_back) and reread_delay:
            time.sleep(reread_delay)  # one second look, in case Intune is slow to show the new set
            read_back = _targets(client, config_id)
    finally:
        _record(store, prepared, config_id, read_back, sent, created, updated)
    if not same_targets(sent, read_back):
        raise IntuneError("intune-verify-failed", f"Intune holds {len(read_back)} assignment(s) after the "
                          f"push, not the {len(sent)} sent: check the profile in Intune and push again")
    return PushResult(config_id, created, updated, assigned)


def _targets(client: GraphClient, config_id: str) -> list[Json]:
    return [a["target"] for a in client.get_all(f"{CONFIGS}/{config_id}/assignments")
            if isinstance(a.get("target"), dict)]


def _record(store: Store, prepared: PreparedPush, config_id: str, read_back: list[Json], sent: list[Json],
            created: bool, updated: bool) -> None:
    """The profile's origin becomes what Intune holds now (so a failed check shows "out of step")."""
    names = {gid: name for name, gid in prepared.group_ids.items()}
    include, exclude = sets_of(read_back, names)
    expires = parse_iso(_body(prepared).get("expirationDateTime"))
    origin = IntuneOrigin(config_id, store.clock(), expires=expires, include=include, exclude=exclude,
                          targets=tuple(sorted(canonical(t) for t in read_back)))
    held = prepared.profile.intune
    if not (created or updated or not prepared.diff.empty) and held is not None and (
            held.intune_id, held.include, held.exclude, held.targets) == (
            origin.intune_id, origin.include, origin.exclude, origin.targets):
        return  # nothing sent and nothing new learnt: no write, no event
    diff = {**prepared.diff.as_json(), "created": created, "updated": updated}
    store.record_intune_push(prepared.profile.uuid, origin, diff, verified=same_targets(sent, read_back))


def status(client: GraphClient, config_id: str) -> dict[str, list[Json] | None]:
    """Per-device and per-user install status; ``None`` for a segment that is empty or answers 400."""
    out: dict[str, list[Json] | None] = {}
    for key, segment in (("devices", "deviceStatuses"), ("users", "userStatuses")):
        try:
            rows = client.get_all(f"{CONFIGS}/{config_id}/{segment}")
        except IntuneError as error:
            if error.status not in (400, 404):
                raise
            rows = []
        out[key] = rows or None
    return out


__all__ = ["PreparedPush", "PushResult", "Tenant", "connect", "execute_push", "out_of_step", "prepare_push",
           "pull", "read_tenant", "status"]
