"""Keyed pseudonyms for persons: the same PESEL always gives the same pseudonym under one key.

HMAC-SHA256 rather than a plain hash: PESEL numbers are few enough to enumerate, so without a
secret key a hash could be reversed. The key lives outside the repository and the warehouse.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

KEY_ENV = "PES_PSEUDONYM_KEY"
log = logging.getLogger(__name__)


def pseudonym(key: bytes, pesel: str) -> str:
    """The person's pseudonym: hex HMAC-SHA256 of the PESEL under the key."""
    return hmac.new(key, pesel.encode("ascii"), hashlib.sha256).hexdigest()


def load_or_create_key(key_file: Path) -> bytes:
    """The key from $PES_PSEUDONYM_KEY, else from `key_file`; a first run creates the file.

    Losing the key changes every pseudonym, so a new key is announced loudly.
    """
    from_env = os.environ.get(KEY_ENV)
    if from_env:
        return from_env.encode("utf-8")
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip().encode("ascii")
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
    key_file.chmod(0o600)
    log.warning(
        "Created a new pseudonymisation key at %s. Back it up: losing it changes the "
        "pseudonyms of all participants.", key_file,
    )
    return key_file.read_text(encoding="ascii").strip().encode("ascii")
