"""Signing in to Entra ID with MSAL, and where the token cache lives (0600 from creation).

Three ways to a bearer token, first match wins: ``PROVDESK_GRAPH_TOKEN`` used as is (an
admin's own tooling, tests); a certificate configured by ``intune login --certificate``
(client credentials, for cron); else the signed-in account in the token cache, refreshed
silently. ``login`` runs the device code flow: it prints Microsoft's URL and code and
waits, so it works over SSH with no browser. The cache holds refresh tokens, so it is a
credential: its directory is 0700, the file is created 0600 (never chmod-ed after), a
cache readable by others is refused, and no token is ever printed or logged.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from store.intune.errors import AUTH_HINT, IntuneError

TOKEN_ENV = "PROVDESK_GRAPH_TOKEN"
LOGIN_ENV = "PROVDESK_LOGIN_URL"
DEFAULT_LOGIN = "https://login.microsoftonline.com"
CACHE_NAME = "intune-token-cache.json"
_KEY_BLOCK = re.compile(rb"-----BEGIN (?:RSA )?PRIVATE KEY-----.+?-----END (?:RSA )?PRIVATE KEY-----",
                        re.DOTALL)
P = ParamSpec("P")
R = TypeVar("R")
SCOPES = ("DeviceManagementApps.ReadWrite.All", "Group.Read.All")


def cache_path() -> Path:
    """The token cache: ``provdesk-intune/`` in the user data dir (beside, not inside, the default store)."""
    from platformdirs import user_data_path

    return user_data_path("provdesk-intune") / CACHE_NAME


def login_root() -> str:
    """``$PROVDESK_LOGIN_URL`` (national clouds, tests) or Entra ID's public authority host."""
    return (os.environ.get(LOGIN_ENV) or DEFAULT_LOGIN).rstrip("/")


def scopes(graph_root: str) -> list[str]:
    """Delegated scopes qualified by the Graph resource (MSAL adds openid/profile/offline_access)."""
    return [f"{graph_root}/{name}" for name in SCOPES]


def read_cache(path: Path) -> str | None:
    """The serialised cache, or ``None`` when there is none; refused when group or others can read it."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise IntuneError("intune-cache", f"cannot read the token cache {path}: {exc.strerror}") from None
    with os.fdopen(fd, "r", encoding="utf-8") as handle:
        if stat.S_IMODE(os.fstat(handle.fileno()).st_mode) & 0o077:
            raise IntuneError("intune-cache-unsafe", f"the token cache {path} is readable by others: "
                              f"delete it and {AUTH_HINT}")
        return handle.read()


def write_cache(path: Path, text: str) -> None:
    """Replace the cache atomically with a file that is 0600 from the moment it exists."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def remove_cache(path: Path) -> bool:
    """Forget every token (``intune logout``); whether there was a cache to remove."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def _cache(path: Path) -> Any:
    import msal

    cache = msal.SerializableTokenCache()
    text = read_cache(path)
    if text:
        cache.deserialize(text)
    return cache


def _save(cache: Any, path: Path) -> None:
    if cache.has_state_changed:
        try:
            write_cache(path, cache.serialize())
        except OSError as exc:
            raise IntuneError("intune-cache", f"cannot write {path}: {exc.strerror}") from None


def _online(function: Callable[P, R]) -> Callable[P, R]:
    """Failures inside MSAL as one line: the network (requests raises OSError) or its ValueErrors."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except IntuneError:
            raise
        except OSError as exc:
            reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
            raise IntuneError("intune-unreachable", f"cannot reach {login_root()}: {reason}") from None
        except ValueError as exc:  # MSAL's word for a configuration it cannot use
            reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            raise IntuneError("intune-auth", f"sign-in failed: {reason}") from None

    return wrapper


def _authority(tenant: str) -> str:
    return f"{login_root()}/{tenant}"


def _failure(result: dict[str, Any] | None, what: str) -> IntuneError:
    """MSAL's error as one line (its description's first line; never the token fields)."""
    result = result or {}
    reason = str(result.get("error_description") or result.get("error") or "no answer").splitlines()[0]
    return IntuneError("intune-auth", f"{what} failed: {reason[:200]}")


def _bad_tenant(tenant: str, exc: ValueError) -> IntuneError:
    """MSAL could not discover the tenant's endpoints (unknown tenant, wrong authority host)."""
    return IntuneError("intune-auth", f"cannot use tenant {tenant!r}: {str(exc).splitlines()[0][:200]}")


def public_app(tenant: str, client_id: str, cache: Any) -> Any:
    """MSAL's public client for the tenant (no instance discovery: the authority host is configured)."""
    import msal

    try:
        return msal.PublicClientApplication(client_id, authority=_authority(tenant), token_cache=cache,
                                            instance_discovery=False, timeout=30)
    except ValueError as exc:
        raise _bad_tenant(tenant, exc) from None


def _certificate_app(tenant: str, client_id: str, pem_path: str, cache: Any) -> Any:
    """MSAL's confidential client signing its assertion with the key and certificate in one PEM file."""
    import msal
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import Encoding, load_pem_private_key

    try:
        pem = Path(pem_path).read_bytes()
        certificate = x509.load_pem_x509_certificate(pem)
        block = _KEY_BLOCK.search(pem)
        key = load_pem_private_key(block.group(0), password=None) if block else None
    except (OSError, ValueError, TypeError) as exc:
        raise IntuneError("intune-certificate", f"{pem_path} is not a PEM with a certificate and its "
                          f"unencrypted private key: {str(exc).splitlines()[0][:120]}") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise IntuneError("intune-certificate", f"{pem_path} needs an RSA private key beside the certificate "
                          "(Entra ID verifies client assertions signed with RSA)")
    thumbprint = hashlib.sha1(certificate.public_bytes(Encoding.DER)).hexdigest()  # x5t is SHA-1 by spec
    credential = {"private_key": block.group(0).decode("ascii") if block else "", "thumbprint": thumbprint,
                  "public_certificate": certificate.public_bytes(Encoding.PEM).decode("ascii")}
    try:
        return msal.ConfidentialClientApplication(client_id, authority=_authority(tenant),
                                                  client_credential=credential, token_cache=cache,
                                                  instance_discovery=False, timeout=30)
    except ValueError as exc:
        raise _bad_tenant(tenant, exc) from None


@_online
def device_code_login(tenant: str, client_id: str, graph_root: str, show: Callable[[str], None],
                      path: Path | None = None) -> str:
    """Sign in with the device code flow: show Microsoft's message (URL and code), wait, cache the result.

    Returns the account's user name, never the token.
    """
    path = path or cache_path()
    cache = _cache(path)
    app = public_app(tenant, client_id, cache)
    flow = app.initiate_device_flow(scopes=scopes(graph_root))
    if "user_code" not in flow:
        raise _failure(flow, "starting the device code sign-in")
    show(str(flow["message"]))
    result = app.acquire_token_by_device_flow(flow)
    if "access_token" not in result:
        raise _failure(result, "device code sign-in")
    _save(cache, path)
    claims = result.get("id_token_claims") or {}
    return str(claims.get("preferred_username") or claims.get("name") or "signed in")


@_online
def certificate_token(tenant: str, client_id: str, pem_path: str, graph_root: str,
                      path: Path | None = None) -> str:
    """An app-only token by client credentials with a certificate (cached; MSAL reuses it until stale)."""
    path = path or cache_path()
    cache = _cache(path)
    app = _certificate_app(tenant, client_id, pem_path, cache)
    result = app.acquire_token_for_client(scopes=[f"{graph_root}/.default"])
    if not result or "access_token" not in result:
        raise _failure(result, "certificate sign-in")
    _save(cache, path)
    return str(result["access_token"])


@_online
def bearer_token(settings: dict[str, str], graph_root: str, path: Path | None = None) -> str:
    """The token a Graph call uses: ``$PROVDESK_GRAPH_TOKEN``, else the certificate, else the cache."""
    env = os.environ.get(TOKEN_ENV, "").strip()
    if env:
        return env
    tenant, client_id = settings.get("tenant"), settings.get("client_id")
    if not tenant or not client_id:
        raise IntuneError("intune-not-configured", "no tenant configured: run provdesk intune login "
                          "--tenant TENANT --client-id ID")
    if settings.get("certificate"):
        return certificate_token(tenant, client_id, settings["certificate"], graph_root, path)
    path = path or cache_path()
    cache = _cache(path)
    app = public_app(tenant, client_id, cache)
    accounts = app.get_accounts()
    result = app.acquire_token_silent(scopes(graph_root), account=accounts[0]) if accounts else None
    if not result or "access_token" not in result:
        raise IntuneError("intune-auth", f"not signed in (or the sign-in expired): {AUTH_HINT}")
    _save(cache, path)
    return str(result["access_token"])
