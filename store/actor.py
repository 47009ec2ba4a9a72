"""Who is making a change, for the audit trail: several admins share one jump host.

``sudo provdesk ...`` runs as root, but the person is in ``SUDO_USER``; an SSH session
says where it came from in ``SSH_CONNECTION`` ("client_ip client_port server_ip server_port").
"""

from __future__ import annotations

import getpass
import os
import pwd
from collections.abc import Mapping

LOCAL_CLIENT = "local"


def _login_name() -> str:
    """The login name: ``getpass`` (LOGNAME/USER/...), else the password entry of our uid."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        try:
            return pwd.getpwuid(os.getuid()).pw_name
        except KeyError:
            return f"uid:{os.getuid()}"


def current_actor(environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """``(actor, client)`` of the running process: the person, and their address or ``local``.

    ``environ`` defaults to the process environment; tests pass their own.
    """
    env = os.environ if environ is None else environ
    actor = env.get("SUDO_USER") or ""
    if not actor:
        actor = _login_name() if environ is None else (env.get("LOGNAME") or env.get("USER") or _login_name())
    client = LOCAL_CLIENT
    connection = env.get("SSH_CONNECTION", "").split()
    if connection:
        client = connection[0]
    return actor, client
