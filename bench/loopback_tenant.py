"""A small Intune tenant on 127.0.0.1 (stdlib http.server in a thread), for tests and the bench.

It answers the Graph paths provdesk uses, in the shapes the research note documents
(written for this project, not copied from Microsoft's samples): paged collections with
absolute ``@odata.nextLink``, ``$expand=assignments``, ``assign`` replacing the whole set,
groups with rules or members, status segments, throttling and error bodies on demand. A
second listener can speak TLS and play Entra ID's authority for MSAL (OpenID
configuration, device code, token), since MSAL insists on https. Nothing leaves loopback.
"""

from __future__ import annotations

import base64
import json
import re
import ssl
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

CONFIGS = "/beta/deviceAppManagement/iosLobAppProvisioningConfigurations"
APPS = "/beta/deviceAppManagement/mobileApps"
ODATA = "#microsoft.graph."


@dataclass
class Tenant:
    """The tenant's state; tests edit it between requests and read what provdesk sent."""

    token: str = "loopback-token"
    configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    assignments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)
    apps: list[dict[str, Any]] = field(default_factory=list)
    statuses: dict[str, Any] = field(default_factory=dict)
    page_size: int = 50
    expand_in_list: bool = True
    payload_in_list: bool = True
    queued: dict[str, list[tuple[int, dict[str, str], bytes]]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    bodies: list[tuple[str, str, Any]] = field(default_factory=list)
    device_polls: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_config(self, name: str, payload_b64: str, file_name: str = "profile.mobileprovision",
                   targets: tuple[dict[str, Any], ...] = (), expires: str | None = None) -> str:
        """A configuration with its assignments; returns its ID."""
        cid = str(uuid.uuid4())
        self.configs[cid] = {
            "@odata.type": f"{ODATA}iosLobAppProvisioningConfiguration", "id": cid, "displayName": name,
            "description": f"{name} (pulled)", "payloadFileName": file_name, "payload": payload_b64,
            "expirationDateTime": expires, "roleScopeTagIds": ["0"], "version": 1,
        }
        self.assignments[cid] = [assignment(t) for t in targets]
        return cid

    def add_group(self, name: str, *, rule: str | None = None, members: tuple[str, ...] = ()) -> str:
        """An Entra group (dynamic with ``rule``, else static with members of those types)."""
        gid = str(uuid.uuid4())
        self.groups[gid] = {"id": gid, "displayName": name, "description": f"{name} group",
                            "groupTypes": ["DynamicMembership"] if rule else [], "membershipRule": rule}
        self.members[gid] = [f"{ODATA}{m}" for m in members]
        return gid

    def throttle(self, path: str, *responses: tuple[int, dict[str, str], bytes]) -> None:
        """Answer the next requests to ``path`` with these (status, headers, body) first."""
        self.queued.setdefault(path, []).extend(responses)

    def targets(self, cid: str) -> list[dict[str, Any]]:
        """The targets Intune holds for a configuration now."""
        return [a["target"] for a in self.assignments.get(cid, [])]


def assignment(target: dict[str, Any]) -> dict[str, Any]:
    """An ``iosLobAppProvisioningConfigurationAssignment`` with a fresh ID."""
    return {"@odata.type": f"{ODATA}iosLobAppProvisioningConfigurationAssignment",
            "id": str(uuid.uuid4()), "target": target}


def include(gid: str) -> dict[str, Any]:
    """An include target."""
    return {"@odata.type": f"{ODATA}groupAssignmentTarget", "groupId": gid}


def exclude(gid: str) -> dict[str, Any]:
    """An exclude target."""
    return {"@odata.type": f"{ODATA}exclusionGroupAssignmentTarget", "groupId": gid}


def error_body(code: str, message: str, request_id: str = "req-0001") -> bytes:
    """A Graph error; ``message`` may itself be a JSON document, as Intune sends it."""
    inner = {"request-id": request_id, "date": "2026-06-01T00:00:00"}
    return json.dumps({"error": {"code": code, "message": message, "innerError": inner}}).encode()


def _b64url(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _id_token(issuer: str, client_id: str) -> str:
    """An unsigned ID token for a made-up admin (MSAL reads its claims; it does not verify them)."""
    claims = {"iss": f"{issuer}/v2.0", "sub": "user-1", "aud": client_id, "iat": 1, "exp": 4_000_000_000,
              "oid": "user-1", "tid": "tenant-1", "preferred_username": "admin@loopback.test"}
    return f"{_b64url({'alg': 'none', 'typ': 'JWT'})}.{_b64url(claims)}.sig"


class _Graph(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        raw = body if isinstance(body, bytes) else (b"" if body is None else json.dumps(body).encode())
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.send_header("request-id", "loopback-request")
        self.end_headers()
        self.wfile.write(raw)

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else b""
        if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            return {k: v[0] for k, v in parse_qs(data.decode()).items()}
        return json.loads(data) if data else None

    def _page(self, items: list[dict[str, Any]], query: dict[str, list[str]], path: str) -> dict[str, Any]:
        size = self.server.tenant.page_size
        start = int(query.get("$skiptoken", ["0"])[0])
        page: dict[str, Any] = {"value": items[start:start + size]}
        if start + size < len(items):
            rest = "&".join(f"{k}={v[0]}" for k, v in query.items() if k != "$skiptoken")
            page["@odata.nextLink"] = f"{self.server.base}{path}?{rest}&$skiptoken={start + size}"
        return page

    def handle_one(self, method: str) -> None:
        tenant = self.server.tenant
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        body = self._body() if method in ("POST", "PATCH") else None
        with tenant.lock:
            tenant.requests.append((method, self.path))
            if body is not None:
                tenant.bodies.append((method, path, body))
            queued = tenant.queued.get(path)
            if queued:
                status, headers, raw = queued.pop(0)
                return self._send(status, raw, headers)
        if self.server.login:
            return self._login(method, path, body)
        if self.headers.get("Authorization") != f"Bearer {tenant.token}":
            return self._send(401, error_body("InvalidAuthenticationToken", "Access token has expired."))
        with tenant.lock:
            self._route(method, path, query, body)

    def _route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> None:
        tenant = self.server.tenant
        if path == CONFIGS and method == "GET":
            items = [dict(c, **({"assignments": tenant.assignments.get(cid, [])} if tenant.expand_in_list
                                and "assignments" in query.get("$expand", []) else {}))
                     for cid, c in tenant.configs.items()]
            if not tenant.payload_in_list:
                items = [{k: v for k, v in item.items() if k != "payload"} for item in items]
            return self._send(200, self._page(items, query, path))
        if path == CONFIGS and method == "POST":
            cid = str(uuid.uuid4())
            tenant.configs[cid] = dict(body, id=cid, version=1)
            tenant.assignments[cid] = []
            return self._send(201, tenant.configs[cid])
        found = re.fullmatch(rf"{CONFIGS}/([^/]+)(?:/(\w+))?", path)
        if found:
            return self._config(method, found.group(1), found.group(2), body)
        if path == APPS and method == "GET":
            return self._send(200, self._page(tenant.apps, query, path))
        found = re.fullmatch(r"/v1\.0/groups/([^/]+)(/members)?", path)
        if found and method == "GET":
            group = tenant.groups.get(found.group(1))
            if group is None:
                return self._send(404, error_body("Request_ResourceNotFound", "Resource does not exist."))
            if found.group(2):
                types = tenant.members[group["id"]]
                members = [{"@odata.type": t, "id": str(i)} for i, t in enumerate(types)]
                return self._send(200, {"value": members})
            return self._send(200, group)
        self._send(404, error_body("ResourceNotFound", f"no route for {path}"))

    def _config(self, method: str, cid: str, segment: str | None, body: Any) -> None:
        tenant = self.server.tenant
        if cid not in tenant.configs:
            return self._send(404, error_body("ResourceNotFound", "configuration not found"))
        if segment is None and method == "GET":
            return self._send(200, tenant.configs[cid])
        if segment is None and method == "PATCH":
            tenant.configs[cid].update(body)
            tenant.configs[cid]["version"] += 1
            return self._send(204)
        if segment == "assignments" and method == "GET":
            return self._send(200, {"value": tenant.assignments[cid]})
        if segment == "assign" and method == "POST":
            sent = body.get("iOSLobAppProvisioningConfigAssignments") or []
            tenant.assignments[cid] = [assignment(a["target"]) for a in sent]  # the whole set, replaced
            return self._send(204)
        if segment in ("deviceStatuses", "userStatuses") and method == "GET":
            rows = tenant.statuses.get(segment)
            if rows is None:
                message = f"Resource not found for the segment '{segment}'."
                return self._send(400, error_body("BadRequest", message))
            return self._send(200, {"value": rows})
        self._send(405, error_body("BadRequest", f"{method} not supported on {segment}"))

    def _login(self, method: str, path: str, body: Any) -> None:
        """Entra ID's side of MSAL: discovery, device code, token (never a real account)."""
        tenant = self.server.tenant
        base = f"{self.server.base}{path.split('/v2.0')[0].split('/oauth2')[0]}"
        if path.endswith("/v2.0/.well-known/openid-configuration"):
            return self._send(200, {
                "issuer": f"{base}/v2.0", "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
            })
        if path.endswith("/oauth2/v2.0/devicecode"):
            return self._send(200, {
                "user_code": "LOOP-BACK", "device_code": "device-code-1", "verification_uri":
                f"{self.server.base}/devicelogin", "expires_in": 60, "interval": 1, "message":
                f"To sign in, open {self.server.base}/devicelogin and enter the code LOOP-BACK.",
            })
        if path.endswith("/oauth2/v2.0/token"):
            tenant.device_polls += 1
            if body.get("grant_type", "").endswith("device_code") and tenant.device_polls < 2:
                return self._send(400, {"error": "authorization_pending", "error_description": "pending"})
            return self._send(200, {"token_type": "Bearer", "access_token": tenant.token, "expires_in": 3600,
                                    "scope": body.get("scope", ""), "refresh_token": "loopback-refresh",
                                    "id_token": _id_token(base, body.get("client_id", "")),
                                    "client_info": _b64url({"uid": "user-1", "utid": "tenant-1"})})
        self._send(404, {"error": "not_found"})

    def do_GET(self) -> None:
        self.handle_one("GET")

    def do_POST(self) -> None:
        self.handle_one("POST")

    def do_PATCH(self) -> None:
        self.handle_one("PATCH")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, tenant: Tenant, login: bool, context: ssl.SSLContext | None) -> None:
        super().__init__(("127.0.0.1", 0), _Graph)
        self.tenant, self.login = tenant, login
        if context is not None:
            self.socket = context.wrap_socket(self.socket, server_side=True)
        scheme = "https" if context is not None else "http"
        self.base = f"{scheme}://127.0.0.1:{self.server_address[1]}"


@contextmanager
def serve(tenant: Tenant, *, login: bool = False, tls: ssl.SSLContext | None = None) -> Iterator[str]:
    """Serve the tenant (``login``: as the authority) until the block ends; yields the base URL."""
    server = _Server(tenant, login, tls)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.base
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
