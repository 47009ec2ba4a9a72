"""``provdesk resign`` through the real command line: a file, a stored app, and where the key never goes.

The store case is the issue's loop: an app whose certificate expires is re-signed in the
store; its assignments stay, the re-sign mark clears, the timeline counts down to the new
certificate's expiry, and the audit holds the old and new certificate and cdhash. The key
case runs a whole re-sign with ``TMPDIR`` inside the test folder and then searches every
file written, and everything printed, for the private key and the password.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from tests.signing.conftest import APPS
from tests.signing.identities import PASSWORD, SigningPKI

ROOT = Path(__file__).resolve().parents[2]
DEMO = APPS / "app_info__embedded.ipa"
WHEN = "2026-12-01T12:00:00Z"  # the test PKI's NOW


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``provdesk ARGS... --now WHEN`` as a user would type it."""
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args, "--now", WHEN],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
        check=False,
    )


def ok_json(proc: subprocess.CompletedProcess[str]) -> Any:
    """The JSON of a verb that succeeded."""
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture()
def inputs(pki: SigningPKI, tmp_path: Path) -> dict[str, Path]:
    """The identity, its password file, a wildcard profile and the test CA, as files."""
    files = {
        "p12": tmp_path / "inputs" / "identity.p12",
        "password": tmp_path / "inputs" / "password.txt",
        "profile": tmp_path / "inputs" / "new.mobileprovision",
        "ca": tmp_path / "inputs" / "test-ca.pem",
    }
    files["p12"].parent.mkdir()
    files["p12"].write_bytes(pki.p12())
    files["password"].write_bytes(PASSWORD + b"\n")
    files["profile"].write_bytes(pki.profile("com.icyleaf.test.*"))
    files["ca"].write_bytes(pki.root_pem)
    return files


def file_args(inputs: dict[str, Path], out: Path, store: Path) -> list[str]:
    """``resign DEMO`` to ``out`` with the test identity, profile and CA (no password option)."""
    return ["resign", str(DEMO), "--identity", str(inputs["p12"]), "--profile", str(inputs["profile"]),
            "--output", str(out), "--trust", str(inputs["ca"]), "--store", str(store)]  # fmt: skip


def test_resign_a_file(inputs: dict[str, Path], tmp_path: Path) -> None:
    """A file re-signed to --output; --json reports the cdhash of every code item."""
    out = tmp_path / "out.ipa"
    args = file_args(inputs, out, tmp_path / "no-store")
    data = ok_json(run(*args, "--password-file", str(inputs["password"]), "--json"))
    assert out.is_file() and data["output"] == str(out) and data["store"] is None
    assert data["bundle_id"] == "com.icyleaf.test.Demo"
    assert [c["path"].rsplit("/", 1)[-1] for c in data["signed"]] == ["Notification", "Demo"]
    assert data["cdhash"] == data["signed"][-1]["slices"][0]["cdhash_sha256"]
    assert data["previous_cdhash"] == "c53eb946d413d3f2da67d683b48486156d1ac17a"  # codesign.md §14


def test_password_sources_and_refusals(inputs: dict[str, Path], tmp_path: Path) -> None:
    """$PROVDESK_P12_PASSWORD works; a wrong one is bad-identity; none, and no terminal, is no-password."""
    out = tmp_path / "o.ipa"
    args = file_args(inputs, out, tmp_path / "s")
    env = {k: v for k, v in os.environ.items() if k != "PROVDESK_P12_PASSWORD"}

    def attempt(password: str | None) -> subprocess.CompletedProcess[str]:
        extra = {} if password is None else {"PROVDESK_P12_PASSWORD": password}
        command = [sys.executable, "-m", "tui.cli", *args, "--now", WHEN]
        return subprocess.run(command, cwd=ROOT, text=True, capture_output=True, env={**env, **extra},
                              stdin=subprocess.DEVNULL, check=False)  # fmt: skip

    wrong = attempt("nope")
    assert wrong.returncode == 2 and wrong.stderr.startswith("provdesk: bad-identity: ")
    assert wrong.stderr.count("\n") == 1
    missing = attempt(None)
    assert missing.returncode == 2 and missing.stderr.startswith("provdesk: no-password: ")
    assert not out.exists()
    right = attempt(PASSWORD.decode())
    assert right.returncode == 0, right.stderr
    assert out.is_file()


def _store_with_demo(store: Path, inputs: dict[str, Path]) -> None:
    """A store holding the Demo app, assigned to a group, marked for re-signing, trusting the test CA."""
    for args in (
        ("app", "add", str(DEMO)),
        ("group", "add", "Field staff", "--kind", "user"),
        ("app", "assign", "com.icyleaf.test.Demo", "--include", "Field staff"),
        ("app", "resign", "com.icyleaf.test.Demo"),
        ("trust", "add", str(inputs["ca"]), "--label", "Test CA"),
        ("import", str(inputs["profile"]), "--name", "Test wildcard"),
    ):
        proc = run("--store", str(store), *args)
        assert proc.returncode == 0, (args, proc.stderr)


def stored_args(store: Path, inputs: dict[str, Path]) -> list[str]:
    """``resign`` of the stored Demo app with the test identity (no password option)."""
    return ["--store", str(store), "resign", "com.icyleaf.test.Demo", "--identity", str(inputs["p12"])]


def test_resign_a_stored_app(inputs: dict[str, Path], pki: SigningPKI, tmp_path: Path) -> None:
    """The store's app is replaced: assignment kept, mark cleared, timeline and audit moved on."""
    store = tmp_path / "store"
    _store_with_demo(store, inputs)
    before = ok_json(run("--store", str(store), "apps", "--json"))[0]
    result = ok_json(run(*stored_args(store, inputs), "--password-file", str(inputs["password"]), "--json"))
    after = ok_json(run("--store", str(store), "apps", "--json"))[0]
    assert result["store"]["bundle_id"] == "com.icyleaf.test.Demo" and result["profile"]["name"]
    assert after["include"] == ["Field staff"] and after["needs_resign"] is False and before["needs_resign"]
    new_expiry = pki.leaf.cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert after["certificate_expires"] == new_expiry != before["certificate_expires"]
    assert after["certificate_sha256"] != before["certificate_sha256"]
    timeline = ok_json(run("--store", str(store), "timeline", "--json"))
    items = [i for g in timeline["groups"] for i in g["items"] if i["app"] == "com.icyleaf.test.Demo"]
    assert items and all(i["certificate_expires"] == new_expiry and not i["resign_required"] for i in items)
    log = ok_json(run("--store", str(store), "log", "--subject", "com.icyleaf.test.Demo", "--json"))
    resign_event = next(e for e in log if e["action"] == "app.resign")
    assert resign_event["before"]["certificate_sha256"] == before["certificate_sha256"]
    assert resign_event["after"]["certificate_sha256"] == after["certificate_sha256"]
    assert resign_event["before"]["cdhash"] == "c53eb946d413d3f2da67d683b48486156d1ac17a"
    assert resign_event["after"]["cdhash"] == result["cdhash"]
    assert {e["action"] for e in log} >= {"app.add", "app.replace", "app.resign"}


def _secrets(pki: SigningPKI) -> dict[str, bytes]:
    """What must never appear anywhere: the key in every encoding, its private numbers, the password."""
    key = pki.leaf.key
    assert isinstance(key, rsa.RSAPrivateKey)
    numbers = key.private_numbers()
    found = {
        "password": PASSWORD,
        "pkcs8": key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption()),
        "pkcs1": key.private_bytes(Encoding.DER, PrivateFormat.TraditionalOpenSSL, NoEncryption()),
        "pem": key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).split(b"\n")[1],
    }
    for name in ("d", "p", "q"):
        value = getattr(numbers, name)
        found[name] = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return found


def test_the_key_never_reaches_disk_logs_or_the_store(
    inputs: dict[str, Path], pki: SigningPKI, tmp_path: Path
) -> None:
    """A re-sign into the store and to a file: no file written, and nothing printed, holds the key."""
    store = tmp_path / "store"
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    _store_with_demo(store, inputs)
    env = {"TMPDIR": str(scratch), "PROVDESK_P12_PASSWORD": PASSWORD.decode()}
    printed = ""
    for extra in ((), ("--output", str(tmp_path / "copy.ipa"))):
        proc = run(*stored_args(store, inputs), *extra, "--json", env=env)
        assert proc.returncode == 0, proc.stderr
        printed += proc.stdout + proc.stderr
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.parent != inputs["p12"].parent]
    assert any(p.suffix == ".ipa" for p in written) and any(p.is_relative_to(store) for p in written)
    for name, secret in _secrets(pki).items():
        assert secret not in printed.encode(), name
        for path in written:
            assert secret not in path.read_bytes(), (name, path)
    assert list(scratch.iterdir()) == []  # temporary work folders are gone too


def test_password_prompt_does_not_echo(inputs: dict[str, Path], tmp_path: Path) -> None:
    """At a terminal with no other source, the password is asked for and what is typed is not shown."""
    import pty
    import select

    out = tmp_path / "prompted.ipa"
    env = {k: v for k, v in os.environ.items() if k != "PROVDESK_P12_PASSWORD"}
    pid, fd = pty.fork()
    if pid == 0:  # the child: provdesk on the pty, which is its controlling terminal
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, "-m", "tui.cli", *file_args(inputs, out, tmp_path / "s"),
                                   "--now", WHEN], env)  # fmt: skip
    seen = b""

    def read_until(marker: bytes) -> None:
        nonlocal seen
        while marker not in seen:
            ready, _, _ = select.select([fd], [], [], 60)
            assert ready, seen
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                return
            if not chunk:
                return
            seen += chunk

    read_until(b"password for the identity: ")
    os.write(fd, PASSWORD + b"\n")
    read_until(b"written:")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, seen
    assert PASSWORD not in seen and b"horse" not in seen
    assert out.is_file()
