"""The journal's seal: a key kept outside the database, and anchors.

Each entry is sealed with HMAC-SHA256(key, company, position, entry hash): who
can write to the database but does not hold the key cannot re-hash the chain
after a change (the seals no longer match). `cryptography` is not among our
dependencies, so the seal is an HMAC, not a public-key signature: verifying a
seal needs the key (`blanche journal verify` on the service's machine, or the
key handed to the auditor with the export).

After each commit that grew a company's journal, its head (position, hash,
seal) is written to `<var>/journal/heads/<company id>.json` (0600): deleting
the last entries from the database (truncation) leaves the anchor pointing past
the end of the chain, which verification reports. Keys: `BLANCHE_JOURNAL_KEYS`
(comma-separated, oldest first, the last one seals) or `<var>/journal-keys`,
created on first use.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from server.settings import Settings

KEYS_FILE = "journal-keys"
SEAL_KEY = "blanche.journal_seal"
PENDING_KEY = "blanche.journal_pending"
ANCHOR_BYTES = 400  # the anchor's JSON is ~220 characters


class JournalKeyMissing(RuntimeError):
    """A session without a bound seal tried to append to the journal."""


@dataclass(frozen=True, slots=True)
class Anchor:
    company_id: int
    position: int
    entry_hash: str
    key_id: str
    seal: str

    def as_dict(self) -> dict[str, object]:
        return {
            "company_id": self.company_id,
            "position": self.position,
            "entry_hash": self.entry_hash,
            "key_id": self.key_id,
            "seal": self.seal,
        }


def key_id_of(key: bytes) -> str:
    return hashlib.sha256(b"blanche-journal-key\n" + key).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class JournalSeal:
    keys: tuple[bytes, ...]  # oldest first; the last one seals
    anchor_dir: Path | None

    @classmethod
    def for_settings(cls, settings: Settings) -> JournalSeal:
        configured = tuple(k.encode() for k in settings.journal_keys)
        keys = configured or load_or_create_keys(settings.var_dir)
        return cls(keys, settings.var_dir / "journal" / "heads")

    @property
    def key_id(self) -> str:
        return key_id_of(self.keys[-1])

    def seal(self, company_id: int, position: int, entry_hash: str) -> tuple[str, str]:
        """(key id, seal) of one entry."""
        return self.key_id, _mac(self.keys[-1], company_id, position, entry_hash)

    def check(
        self, company_id: int, position: int, entry_hash: str, key_id: str, seal: str
    ) -> bool:
        for key in self.keys:
            if key_id_of(key) == key_id:
                expected = _mac(key, company_id, position, entry_hash)
                return hmac.compare_digest(expected, seal)
        return False

    def knows(self, key_id: str) -> bool:
        return any(key_id_of(key) == key_id for key in self.keys)

    def anchor_path(self, company_id: int) -> Path | None:
        return None if self.anchor_dir is None else self.anchor_dir / f"{company_id}.json"

    def read_anchor(self, company_id: int) -> Anchor | None:
        path = self.anchor_path(company_id)
        if path is None or not path.exists():
            return None
        with path.open() as handle:
            fcntl.flock(handle, fcntl.LOCK_SH)  # never half of a write
            data = json.loads(handle.read())
        return Anchor(
            int(data["company_id"]),
            int(data["position"]),
            str(data["entry_hash"]),
            str(data["key_id"]),
            str(data["seal"]),
        )

    def write_anchor(self, anchor: Anchor) -> None:
        """Move the company's anchor forward (never back: commits of two
        processes may arrive out of order)."""
        path = self.anchor_path(anchor.company_id)
        if path is None:
            return
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        with os.fdopen(descriptor, "r+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            text = handle.read()
            if text.strip() and int(json.loads(text)["position"]) >= anchor.position:
                return
            # Written in place, padded to a fixed size: truncating costs ~5 ms on ext4 with
            # discard, and this runs on the event loop after each commit. No fsync: an
            # anchor that an OS crash leaves behind only lags (never a false alarm).
            handle.seek(0)
            handle.write(json.dumps(anchor.as_dict(), sort_keys=True).ljust(ANCHOR_BYTES) + "\n")


def _mac(key: bytes, company_id: int, position: int, entry_hash: str) -> str:
    message = f"blanche-journal-seal/1\n{company_id}\n{position}\n{entry_hash}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def keys_path(var_dir: Path) -> Path:
    return var_dir / KEYS_FILE


def load_or_create_keys(var_dir: Path) -> tuple[bytes, ...]:
    path = keys_path(var_dir)
    if not path.exists():
        _create_keys_once(var_dir)
    keys = tuple(line.strip().encode() for line in path.read_text().splitlines() if line.strip())
    if not keys:
        raise JournalKeyMissing(f"{path} holds no key")
    return keys


def _create_keys_once(var_dir: Path) -> None:
    """The first key, written by exactly one of the processes starting together."""
    var_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = var_dir / f".{KEYS_FILE}.{os.getpid()}.new"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    try:
        os.link(temporary, keys_path(var_dir))  # fails if another process won
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


def write_keys(var_dir: Path, keys: tuple[str, ...]) -> None:
    var_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = keys_path(var_dir)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write("\n".join(keys) + "\n")
    temporary.replace(path)


def rotate_keys(var_dir: Path) -> tuple[bytes, ...]:
    """Append a new key (it seals from now on); older ones keep verifying."""
    old = tuple(k.decode() for k in load_or_create_keys(var_dir))
    write_keys(var_dir, (*old, secrets.token_hex(32)))
    return load_or_create_keys(var_dir)


def bind_seal(sessions: async_sessionmaker[AsyncSession], seal: JournalSeal) -> None:
    """Sessions from `sessions` seal the entries they append and anchor them on commit."""
    sessions.configure(info={SEAL_KEY: seal})


def seal_of(session: AsyncSession | Session) -> JournalSeal:
    seal = session.info.get(SEAL_KEY)
    if not isinstance(seal, JournalSeal):
        raise JournalKeyMissing(
            "this session has no journal seal: bind one with "
            "server.documents.journal.bind_seal(sessions, JournalSeal.for_settings(settings))"
        )
    return seal


def anchor_on_commit(session: AsyncSession, anchor: Anchor) -> None:
    pending: dict[int, Anchor] = session.info.setdefault(PENDING_KEY, {})
    pending[anchor.company_id] = anchor


@event.listens_for(Session, "after_commit")
def _write_anchors(session: Session) -> None:
    pending: dict[int, Anchor] | None = session.info.pop(PENDING_KEY, None)
    if not pending:
        return
    seal = seal_of(session)
    for anchor in pending.values():
        seal.write_anchor(anchor)


@event.listens_for(Session, "after_rollback")
def _forget_anchors(session: Session, *_: Any) -> None:
    session.info.pop(PENDING_KEY, None)
