"""The Graph client over real sockets: paging, throttling, errors, auth and an unreachable tenant."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime

import pytest

from bench.loopback_tenant import CONFIGS, error_body
from store.intune.errors import IntuneError
from store.intune.graph import GraphClient
from store.intune.retry import RetryPolicy, retry_after
from tests.intune.conftest import TOKEN, World

LIST = f"{CONFIGS}?$expand=assignments"


def _client(world: World, waits: list[float], policy: RetryPolicy | None = None) -> GraphClient:
    return GraphClient(TOKEN, world.url, policy=policy, sleep=waits.append)


def test_paging_follows_the_absolute_next_link(world: World) -> None:
    with _client(world, []) as client:
        items = client.get_all(LIST.removeprefix("/beta/"))
    assert len(items) == 4 and len({i["id"] for i in items}) == 4
    gets = [p for m, p in world.tenant.requests if m == "GET"]
    assert len(gets) == 2 and "$skiptoken=2" in gets[1]


def test_429_with_fractional_retry_after_then_without(world: World) -> None:
    world.tenant.throttle(CONFIGS, (429, {"Retry-After": "0.25"}, error_body("TooManyRequests", "slow down")),
                          (429, {}, error_body("TooManyRequests", "slow down")))
    waits: list[float] = []
    with _client(world, waits, RetryPolicy(base=0.4)) as client:
        assert len(client.get_all(LIST.removeprefix("/beta/"))) == 4
    assert waits[0] == pytest.approx(0.25)
    assert 0.4 <= waits[1] <= 0.8  # backoff for the second try: 0.8 s step, half to all of it


def test_503_then_an_http_date() -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    assert retry_after("Mon, 01 Jun 2026 00:00:03 GMT", now) == pytest.approx(3.0)
    assert retry_after("2.128", now) == pytest.approx(2.128)
    assert retry_after("soon", now) is None and retry_after(None, now) is None


def test_bounded_total_wait(world: World) -> None:
    for _ in range(10):
        world.tenant.throttle(CONFIGS, (503, {"Retry-After": "1.5"}, b""))
    waits: list[float] = []
    with _client(world, waits, RetryPolicy(budget=4.0)) as client, pytest.raises(IntuneError) as caught:
        client.get_all(LIST.removeprefix("/beta/"))
    assert caught.value.code == "intune-throttled" and sum(waits) <= 4.0 and len(waits) == 2


def test_a_post_is_never_retried(world: World) -> None:
    world.tenant.throttle(CONFIGS, (429, {"Retry-After": "0"}, error_body("TooManyRequests", "later")))
    waits: list[float] = []
    with _client(world, waits) as client, pytest.raises(IntuneError) as caught:
        client.write("POST", CONFIGS.removeprefix("/beta/"), {"displayName": "x"})
    assert caught.value.code == "intune-graph" and "HTTP 429" in caught.value.message and not waits
    assert [m for m, _ in world.tenant.requests] == ["POST"] and len(world.tenant.configs) == 4


def test_json_inside_message_is_unwrapped_to_one_line(world: World) -> None:
    text = ("An error has occurred - Operation ID (for customer support): 00000000-0000-0000-0000-0000"
            " - Activity ID: 1b2c3d4e-aaaa-bbbb-cccc-000000000001 - Url: https://fef.loopback/x")
    inner = json.dumps({"_version": 3, "Message": text, "CustomApiErrorPhrase": "", "RetryAfter": None},
                       indent=2).replace("\n", "\r\n")
    world.tenant.throttle(CONFIGS, (400, {}, error_body("BadRequest", inner, "req-42")))
    with _client(world, []) as client, pytest.raises(IntuneError) as caught:
        client.get_all(LIST.removeprefix("/beta/"))
    message = caught.value.message
    assert "\n" not in message and "\\r" not in message and '"_version"' not in message
    assert message.startswith("HTTP 400 BadRequest: An error has occurred")
    assert "request-id req-42" in message and "activity-id 1b2c3d4e-aaaa-bbbb-cccc-000000000001" in message


def test_401_names_the_scope_and_the_cure(world: World) -> None:
    with GraphClient("stale", world.url) as client, pytest.raises(IntuneError) as caught:
        client.get(CONFIGS.removeprefix("/beta/"))
    assert str(caught.value) == ("intune-auth: token expired or lacks scope "
                                 "DeviceManagementApps.ReadWrite.All: run provdesk intune login")


def test_a_next_link_elsewhere_is_refused(world: World) -> None:
    world.tenant.throttle(CONFIGS, (200, {}, json.dumps({"value": [], "@odata.nextLink":
                                                          "http://127.0.0.2:9/beta/x"}).encode()))
    with _client(world, []) as client, pytest.raises(IntuneError) as caught:
        client.get_all(CONFIGS.removeprefix("/beta/"))
    assert "refusing a link outside" in caught.value.message


def test_connection_refused_is_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with GraphClient(TOKEN, f"http://127.0.0.1:{port}") as client, pytest.raises(IntuneError) as caught:
        client.get("deviceAppManagement/iosLobAppProvisioningConfigurations")
    assert caught.value.code == "intune-unreachable"



def test_both_readings_of_uncertain_shapes(world: World) -> None:
    """A single entity wrapped in ``value`` (as Graph's samples show it), a refused isof filter,
    and a list without its assignments or payloads: each is read either way."""
    from bench.loopback_tenant import APPS
    from store.intune import tenant

    path = f"{CONFIGS}/{world.field}"
    world.tenant.throttle(path, (200, {}, json.dumps({"value": world.tenant.configs[world.field]}).encode()))
    world.tenant.throttle(APPS, (400, {}, error_body("BadRequest", "isof is not supported")))
    world.tenant.expand_in_list = world.tenant.payload_in_list = False
    with _client(world, []) as client:
        assert client.entity(path.removeprefix("/beta/"))["displayName"] == "Field 2027"
        assert [a["bundleId"] for a in tenant.lob_apps(client)] == ["com.example.field"]
        listed = tenant.configurations(client)
    assert all(len(c["assignments"]) == len(world.tenant.assignments[c["id"]]) for c in listed)
    assert all(c["payload"] == world.tenant.configs[c["id"]]["payload"] for c in listed)
