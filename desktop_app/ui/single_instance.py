"""One running app per workspace: a second start hands over to the first and ends.

The first window listens on a local socket named after its workspace folder (a named pipe on
Windows, a socket file on Linux). A second start on the same folder connects (the connection
is the request to come forward) and ends; two folders never share a name, so two workspaces
can be open at once. A socket file left by a process that died is removed before listening.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_TIMEOUT_MS = 1000


def server_name(workspace: Path) -> str:
    """A short name for the folder and the user: socket paths are limited to ~100 bytes."""
    folder = os.path.normcase(str(workspace.resolve()))
    digest = hashlib.sha256(folder.encode("utf-8")).hexdigest()[:20]
    user = os.environ.get("USER") or os.environ.get("USERNAME") or ""
    user_digest = hashlib.sha256(user.encode("utf-8")).hexdigest()[:6]
    return f"baocao-{user_digest}-{digest}"


def ask_running_to_raise(workspace: Path) -> bool:
    """True when an app already runs on ``workspace`` and was asked to come forward."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(workspace))
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.abort()
    return True


class InstanceServer(QObject):
    """Listens for later starts on the same workspace; ``raise_requested`` for each one."""

    raise_requested = Signal()

    def __init__(self, workspace: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(workspace)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        if self.server.listen(self.name):
            return True
        # Only reached when no one answered the name: what is left belongs to a dead process.
        QLocalServer.removeServer(self.name)
        return self.server.listen(self.name)

    def close(self) -> None:
        self.server.close()

    def _accept(self) -> None:
        """A connection is the whole request: nothing to read, so nothing to wait for."""
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.abort()
            socket.deleteLater()
            self.raise_requested.emit()
