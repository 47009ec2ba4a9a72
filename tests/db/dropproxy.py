"""A TCP proxy on 127.0.0.1 that cuts a client's connection right after forwarding its COMMIT.

The server receives and runs the COMMIT; the client never hears back. That is the one
failure a writer cannot settle alone: did the change land? The store must find out.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

COMMIT = b"Q\x00\x00\x00\x0bCOMMIT\x00"  # the simple-query message psycopg sends to commit


class DropAfterCommit:
    """Forward ``127.0.0.1:port`` to the server; when armed, cut the first connection that sends COMMIT."""

    def __init__(self, server_port: int) -> None:
        self.server_port = server_port
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen()
        self.port: int = self.listener.getsockname()[1]
        self.armed = False
        self.cut = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.server_port))
            silenced = threading.Event()  # set: the server's answers no longer reach the client
            threading.Thread(target=self._upstream, args=(client, server, silenced), daemon=True).start()
            threading.Thread(target=self._downstream, args=(server, client, silenced), daemon=True).start()

    def _upstream(self, client: socket.socket, server: socket.socket, silenced: threading.Event) -> None:
        try:
            while data := client.recv(65536):
                if self.armed and COMMIT in data:
                    self.armed = False
                    silenced.set()
                    server.sendall(data)
                    time.sleep(0.3)  # the server runs the COMMIT; its answer is never passed on
                    self.cut.set()
                    break
                server.sendall(data)
        except OSError:
            pass
        _close(client, server)

    def _downstream(self, server: socket.socket, client: socket.socket, silenced: threading.Event) -> None:
        try:
            while (data := server.recv(65536)) and not silenced.is_set():
                client.sendall(data)
        except OSError:
            pass
        if not silenced.is_set():
            _close(client, server)

    def close(self) -> None:
        """Stop accepting connections."""
        self.listener.close()


def _close(*socks: socket.socket) -> None:
    for sock in socks:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()
