"""The command line on PostgreSQL: init, failures as one clear line, a read-only role, a dropped write."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from store.clock import system_clock
from store.db import Store
from store.errors import StoreError
from tests.db.dropproxy import DropAfterCommit
from tests.pgserver import PgCluster, free_port
from tui.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_creates_the_schema_once_and_other_verbs_refuse_an_uninitialised_db(
    pg_cluster: PgCluster, capsys: pytest.CaptureFixture[str]
) -> None:
    url = pg_cluster.url(pg_cluster.new_database())
    code, _, err = _run(capsys, "--store", url, "groups")
    assert code == 2 and "store-missing" in err and "provdesk init" in err
    assert _run(capsys, "--store", url, "init")[0] == 0
    code, _, err = _run(capsys, "--store", url, "init")
    assert code == 2 and "store-exists" in err
    code, out, _ = _run(capsys, "--store", url, "log", "--json")
    assert code == 0 and '"store.init"' in out


def test_a_schema_newer_than_the_code_is_refused(pg_cluster: PgCluster, pg_url: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    code, _, err = _run(capsys, "--store", pg_url, "timeline")
    assert code == 2 and err.startswith("provdesk: schema-too-new:")


def test_connection_refused_is_store_unreachable(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "--store", f"postgresql://nobody@127.0.0.1:{free_port()}/provdesk", "groups")
    assert code == 2 and err.startswith("provdesk: store-unreachable:") and "Traceback" not in err


def test_a_wrong_password_is_store_auth_and_never_echoed(
    pg_cluster: PgCluster, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    database = pg_url.split("/")[3].split("?")[0]
    writer, _ = pg_cluster.grant_roles(database, "right-pw")
    wrong = writer.replace("right-pw", "Wr0ng-Secret-xyz")
    code, out, err = _run(capsys, "--store", wrong, "groups")
    assert code == 2 and err.startswith("provdesk: store-auth:")
    assert "Wr0ng-Secret-xyz" not in err + out and "***" in err
    assert _run(capsys, "--store", writer, "group", "add", "Sales", "--kind", "user")[0] == 0


def test_a_read_only_role_reads_everything_and_a_write_is_store_read_only(
    pg_cluster: PgCluster, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    database = pg_url.split("/")[3].split("?")[0]
    writer, reader = pg_cluster.grant_roles(database, "pw-123")
    assert _run(capsys, "--store", writer, "group", "add", "Sales", "--kind", "user")[0] == 0
    reads = (["groups"], ["profiles"], ["apps"], ["timeline"], ["check"], ["log"],
             ["export", "--format", "json"], ["settings"], ["trust", "list"], ["doctor"])
    for verb in reads:
        code, _, err = _run(capsys, "--store", reader, *verb)
        assert code == 0, (verb, err)
    code, _, err = _run(capsys, "--store", reader, "group", "add", "Other", "--kind", "user")
    assert code == 2 and err.startswith("provdesk: store-read-only:") and "Traceback" not in err


def test_a_write_whose_connection_drops_is_reported_not_committed(pg_url: str) -> None:
    store = Store.open(pg_url, system_clock)
    store.add_group("Sales", "user")
    with pytest.raises(StoreError) as err, store.transaction() as tx:
        tx.put("groups", {"name": "Ghost", "kind": "user", "description": "", "builtin": False})
        with psycopg.connect(pg_url, autocommit=True) as dba:
            dba.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE pid <> pg_backend_pid() AND datname = current_database()")
    assert err.value.code == "write-not-committed" and "nothing was written" in err.value.message
    assert [g.name for g in store.fleet().groups][2:] == ["Sales"]
    store.add_group("After", "device")  # reconnected
    assert [g.name for g in Store.open(pg_url, system_clock).fleet().groups][2:] == ["Sales", "After"]


def test_a_commit_whose_answer_is_lost_is_checked_and_reported_committed(
    pg_cluster: PgCluster, pg_url: str
) -> None:
    database = pg_url.split("/")[3].split("?")[0]
    pg_cluster.grant_roles(database, "pw-proxy")
    proxy = DropAfterCommit(pg_cluster.port)
    try:
        url = f"postgresql://alice:pw-proxy@127.0.0.1:{proxy.port}/{database}"
        store = Store.open(url, system_clock)
        proxy.armed = True
        store.add_group("Landed", "user")  # no error: the store asked the server, and it had committed
        assert proxy.cut.is_set()
        assert any("committed whole" in n for n in store.take_notices())
        assert [g.name for g in Store.open(pg_url, system_clock).fleet().groups][2:] == ["Landed"]
        assert [e.action for e in store.audit()].count("group.add") == 1
    finally:
        proxy.close()


def test_the_settings_file_names_the_store(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PROVDESK_STORE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "provdesk").mkdir()
    (tmp_path / "provdesk" / "settings.toml").write_text(f'store = "{pg_url}"\n')
    assert _run(capsys, "group", "add", "From settings", "--kind", "user")[0] == 0
    assert "From settings" in {g.name for g in Store.open(pg_url, system_clock).fleet().groups}
    (tmp_path / "provdesk" / "settings.toml").write_text("store = [1\n")
    code, _, err = _run(capsys, "groups")
    assert code == 2 and err.startswith("provdesk: bad-settings:")
