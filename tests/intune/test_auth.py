"""Sign-in and secrets: MSAL's device code flow against a loopback authority, the 0600 cache, no token leaks.

MSAL insists on an https authority, so the authority is a second loopback listener with
TLS under a certificate made here (requests trusts it through REQUESTS_CA_BUNDLE). MSAL
builds the flow, prints Microsoft's message and polls the token endpoint for real.
"""

from __future__ import annotations

import ipaddress
import json
import os
import ssl
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from bench.loopback_tenant import Tenant, serve
from store.db import Store
from tests.intune.conftest import FIELD_UUID, TOKEN, World, run_cli


def _tls(tmp_path: Path) -> tuple[ssl.SSLContext, Path]:
    """A self-signed certificate for 127.0.0.1: the server's context and the CA file clients trust."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "loopback authority")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "authority.pem", tmp_path / "authority.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context, cert_file


@pytest.fixture
def authority(tmp_path: Path) -> Iterator[tuple[str, dict[str, str], Tenant]]:
    """The loopback authority and the environment a child provdesk needs to use it."""
    context, ca = _tls(tmp_path)
    tenant = Tenant(token=TOKEN)
    with serve(tenant, login=True, tls=context) as url:
        env = {"PROVDESK_LOGIN_URL": url, "REQUESTS_CA_BUNDLE": str(ca),
               "XDG_DATA_HOME": str(tmp_path / "data")}
        yield url, env, tenant


def _cache(env: dict[str, str]) -> Path:
    return Path(env["XDG_DATA_HOME"]) / "provdesk-intune" / "intune-token-cache.json"


def _no_token_anywhere(store: Path, *outputs: str) -> None:
    for text in outputs:
        assert TOKEN not in text
    for path in store.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path


def test_device_code_login_prints_the_code_and_caches_0600(authority, store: Store, world: World) -> None:  # type: ignore[no-untyped-def]
    url, env, tenant = authority
    env = {**env, "PROVDESK_GRAPH_TOKEN": ""}
    done = run_cli("intune", "login", "--tenant", "contoso-test", "--client-id", "11111111-2222-3333-4444-5",
                   store=store.root, env=env)
    assert done.returncode == 0, done.stderr
    assert f"open {url}/devicelogin and enter the code LOOP-BACK" in done.stderr
    assert "signed in to contoso-test as admin@loopback.test" in done.stdout
    assert tenant.device_polls == 2  # MSAL polled: pending, then the token
    cache = _cache(env)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.parent.stat().st_mode) == 0o700
    assert store.intune_settings() == {"tenant": "contoso-test", "client_id": "11111111-2222-3333-4444-5"}
    pulled = run_cli("intune", "pull", store=store.root, env=env)  # the cached token, silently
    assert "pulled:" in pulled.stdout, pulled.stderr
    _no_token_anywhere(store.root, done.stdout, done.stderr, pulled.stdout, pulled.stderr)
    out = run_cli("intune", "logout", store=store.root, env=env)
    assert out.returncode == 0 and not cache.exists()
    again = run_cli("intune", "pull", store=store.root, env=env)
    assert again.returncode == 2 and "provdesk: intune-auth: not signed in" in again.stderr


def test_a_cache_others_can_read_is_refused(authority, store: Store) -> None:  # type: ignore[no-untyped-def]
    _, env, _ = authority
    store.set_intune_settings("contoso-test", "client", None)
    cache = _cache(env)
    cache.parent.mkdir(parents=True)
    cache.write_text("{}")
    os.chmod(cache, 0o644)
    done = run_cli("intune", "pull", store=store.root, env={**env, "PROVDESK_GRAPH_TOKEN": ""})
    assert done.returncode == 2 and "provdesk: intune-cache-unsafe:" in done.stderr


def test_the_token_never_reaches_output_or_store(store: Store, world: World) -> None:
    outputs = []
    for args in (("intune", "pull"), ("intune", "pull", "--json"), ("intune", "push", FIELD_UUID, "--yes"),
                 ("intune", "status", FIELD_UUID)):
        done = run_cli(*args, store=store.root)
        outputs += [done.stdout, done.stderr]
    world.tenant.token = "another"  # now the store's token is stale: the 401 line must not echo it either
    stale = run_cli("intune", "pull", store=store.root)
    assert stale.returncode == 2 and "provdesk: intune-auth: token expired" in stale.stderr
    _no_token_anywhere(store.root, *outputs, stale.stdout, stale.stderr)


def test_unreachable_tenant_writes_nothing(store: Store, tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    stamp = store.storage.current_stamp()
    done = run_cli("intune", "pull", store=store.root, env={"PROVDESK_GRAPH_URL": f"http://127.0.0.1:{port}",
                                                          "PROVDESK_GRAPH_TOKEN": TOKEN})
    assert done.returncode == 2 and done.stderr.startswith("provdesk: intune-unreachable:")
    assert "Traceback" not in done.stderr and store.storage.current_stamp() == stamp


def test_certificate_login_for_cron(authority, store: Store, world: World, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Client credentials signed with a key and certificate in one PEM; later verbs use it unattended."""
    _, env, tenant = authority
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "provdesk cron")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=9)).sign(key, hashes.SHA256()))
    pem = tmp_path / "cron.pem"
    secret = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                               serialization.NoEncryption())
    pem.write_bytes(secret + cert.public_bytes(serialization.Encoding.PEM))
    env = {**env, "PROVDESK_GRAPH_TOKEN": ""}
    done = run_cli("intune", "login", "--tenant", "contoso-test", "--client-id", "cron-app", "--certificate",
                   str(pem), store=store.root, env=env)
    assert done.returncode == 0, done.stderr
    assert store.intune_settings()["certificate"] == str(pem)
    assert any("client_assertion" in body for _, path, body in tenant.bodies if path.endswith("/token"))
    pulled = run_cli("intune", "pull", store=store.root, env=env)
    assert "pulled:" in pulled.stdout, pulled.stderr
    assert stat.S_IMODE(_cache(env).stat().st_mode) == 0o600
    _no_token_anywhere(store.root, done.stdout, done.stderr, pulled.stdout, pulled.stderr)
    assert "PRIVATE KEY" not in json.dumps(store.storage.tables)  # the key stays in its file


def test_a_certificate_without_an_rsa_key_is_one_line(store: Store, tmp_path: Path) -> None:
    pem = tmp_path / "ec.pem"
    key = ec.generate_private_key(ec.SECP256R1())
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()) + _tls(tmp_path)[1].read_bytes())
    done = run_cli("intune", "login", "--tenant", "t", "--client-id", "c", "--certificate", str(pem),
                   store=store.root)
    assert done.returncode == 2 and done.stderr.startswith("provdesk: intune-certificate:")
    assert "Traceback" not in done.stderr
