"""The demo's screen tokens, kept so that every start prints the same links.

Tokens are stored hashed, so the demo keeps the secrets of its own screen tokens in
``<data_dir>/demo-tokens.json`` (mode 0600, like the database that can make them).
A start reuses a saved token while it is still good for :data:`REUSE_MARGIN`; otherwise
it revokes the old one and makes a new one (lifetime :data:`LIFETIME`). So restarting
the demo keeps the open screens working and adds no tokens; ``--reset`` deletes the file
with the database.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

from queue_server.auth.roles import Role
from queue_server.auth.tokens import create_token, principal_for_token, revoke_token
from queue_server.core.operations import Queue
from queue_server.core.storage import FILE_MODE

TOKENS_FILE = "demo-tokens.json"
LIFETIME = timedelta(days=1)
REUSE_MARGIN = timedelta(hours=12)


class DemoTokens:
    """Screen tokens by name: reused from the file while good, else made anew."""

    def __init__(self, queue: Queue, path: Path) -> None:
        self.queue = queue
        self.path = path
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            saved = {}
        self.saved: dict[str, str] = {
            str(k): str(v) for k, v in saved.items() if isinstance(v, str)
        }

    def secret(self, role: str, name: str, counter: int | None = None) -> str:
        """The token ``name`` for ``role`` (and ``counter``), saved for the next start."""
        db, now = self.queue.db, self.queue.clock.now()
        old = self.saved.get(name)
        if old is not None:
            later = principal_for_token(db, old, now + REUSE_MARGIN)
            if later is not None and later.role == Role(role) and later.counter == counter:
                return old
            current = principal_for_token(db, old, now)
            if current is not None:
                revoke_token(db, current.id, clock=self.queue.clock)
        secret, _info = create_token(
            db, role, counter=counter, lifetime=LIFETIME, name=name, clock=self.queue.clock
        )
        self.saved[name] = secret
        self._save()
        return secret

    def _save(self) -> None:
        partial = self.path.with_name(f".{self.path.name}.partial")
        handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(self.saved, out, indent=1, sort_keys=True)
        os.replace(partial, self.path)
