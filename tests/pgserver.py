"""A throwaway PostgreSQL cluster for the tests and the bench: initdb, start, give out databases, stop.

The cluster lives in a temp dir, listens on its own Unix socket and on 127.0.0.1 at a free
port, and is run as an unprivileged user when we are root (PostgreSQL refuses to run as
root): the ``postgres`` system user the Debian package creates. The Unix socket trusts
the local superuser; TCP asks for a password (so authentication failures are real). A
run that cannot start it raises: callers fail, they never skip.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

BIN = Path(os.environ.get("PROVDESK_PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "provdesk_test"
RUN_AS = "postgres"


# Exactly the statements README.md shows a DBA (with the database name and a password filled in).
GRANTS = (
    "DO $$ BEGIN CREATE ROLE provdesk_admins NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
    "DO $$ BEGIN CREATE ROLE provdesk_readers NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
    'GRANT CONNECT ON DATABASE "{db}" TO provdesk_admins, provdesk_readers',
    "GRANT USAGE ON SCHEMA public TO provdesk_admins, provdesk_readers",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO provdesk_admins",
    "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO provdesk_admins",
    "GRANT SELECT ON ALL TABLES IN SCHEMA public TO provdesk_readers",
    "DO $$ BEGIN CREATE ROLE alice LOGIN PASSWORD '{password}' IN ROLE provdesk_admins; "
    "EXCEPTION WHEN duplicate_object THEN NULL; END $$",
    "DO $$ BEGIN CREATE ROLE monitor LOGIN PASSWORD '{password}' IN ROLE provdesk_readers; "
    "EXCEPTION WHEN duplicate_object THEN NULL; END $$",
)


def free_port() -> int:
    """A TCP port nobody listens on right now (127.0.0.1)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PgCluster:
    """One initdb'd, running cluster; ``url(db)`` names a database in it for ``--store``."""

    def __init__(self, *, durable: bool = False) -> None:
        if not (BIN / "initdb").exists():
            raise RuntimeError(f"PostgreSQL is not installed ({BIN}/initdb missing): run `make test`")
        self.base = Path(tempfile.mkdtemp(prefix="provdesk-pg-"))
        self.data = self.base / "data"
        self.port = free_port()
        self.user = pwd.getpwnam(RUN_AS) if os.geteuid() == 0 else None
        if self.user is not None:
            os.chown(self.base, self.user.pw_uid, self.user.pw_gid)
        os.chmod(self.base, 0o755)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth-local=trust",
                  "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync")
        options = [f"port = {self.port}", "listen_addresses = '127.0.0.1'",
                   f"unix_socket_directories = '{self.base}'", "max_connections = 200"]
        if not durable:
            options += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("\n".join(options) + "\n")
        self.start()

    def _run(self, tool: str, *args: str) -> None:
        argv = [str(BIN / tool), *args]
        if self.user is not None:
            argv = ["setpriv", f"--reuid={self.user.pw_uid}", f"--regid={self.user.pw_gid}", "--clear-groups",
                    *argv]
        proc = subprocess.run(argv, capture_output=True, text=True, cwd=self.base)
        if proc.returncode != 0:
            raise RuntimeError(f"{tool} failed: {proc.stderr.strip() or proc.stdout.strip()}")

    def start(self) -> None:
        """Start (or restart after :meth:`stop`) the server and wait until it accepts connections."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.base / "log"), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``immediate`` is a crash: no checkpoint)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        """Stop and start again: every client connection is cut."""
        self.stop()
        self.start()

    def url(
        self, database: str, user: str = SUPERUSER, password: str | None = None, *, tcp: bool = False
    ) -> str:
        """A ``postgresql://`` URL for ``database``: over the Unix socket, or TCP with a password."""
        if tcp:
            secret = f":{quote(password, safe='')}" if password else ""
            return f"postgresql://{user}{secret}@127.0.0.1:{self.port}/{database}"
        return f"postgresql://{user}@/{database}?host={quote(str(self.base), safe='')}&port={self.port}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        """Run one statement as the superuser (autocommit: CREATE DATABASE needs it)."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(statement)  # type: ignore[arg-type]

    def grant_roles(self, database: str, password: str) -> tuple[str, str]:
        """The README's DBA grants: a read-write role and a read-only one; returns their TCP URLs."""
        for statement in GRANTS:
            self.sql(statement.format(db=database, password=password), database)
        for role in ("alice", "monitor"):  # roles are cluster-wide: an earlier test may have made them
            self.sql(f"ALTER ROLE {role} PASSWORD '{password}'")
        url = self.url
        return url(database, "alice", password, tcp=True), url(database, "monitor", password, tcp=True)

    def new_database(self, template: str = "template0") -> str:
        """A fresh, empty database (or a copy of ``template``); returns its name."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        self.sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def close(self) -> None:
        """Stop the server and delete the cluster."""
        with contextlib.suppress(RuntimeError):
            self.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)
