"""PA client secrets at rest: Fernet (AES-128-CBC + HMAC-SHA256) with a key kept
outside the database: `BLANCHE_PA_SECRET_KEY`, or `var/pa-secret.key` (0600),
created on first use. A copy of the database alone does not reveal a secret."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

KEY_FILE = "pa-secret.key"


class SecretUnreadable(Exception):
    """The stored secret was encrypted with another key (the key was lost or changed)."""


def _key(var_dir: Path) -> bytes:
    configured = os.environ.get("BLANCHE_PA_SECRET_KEY", "").strip()
    if configured:
        return configured.encode()
    path = var_dir / KEY_FILE
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return path.read_bytes().strip()
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(Fernet.generate_key())
    return path.read_bytes().strip()


def encrypt(var_dir: Path, secret: str) -> str:
    return Fernet(_key(var_dir)).encrypt(secret.encode()).decode()


def decrypt(var_dir: Path, ciphertext: str) -> str:
    try:
        return Fernet(_key(var_dir)).decrypt(ciphertext.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable(
            "the PA client secret cannot be decrypted with this key: set the connection again"
        ) from None
