"""Password hashing: argon2id for new hashes, upstream's unsalted MD5 still accepted.

Upstream stores ``md5hex(password)``. Rows written by Go (or dumped from upstream)
keep logging in; after a successful legacy login the caller re-hashes with argon2id
(:func:`needs_rehash`). An empty stored hash never matches anything, which keeps
upstream's "registered without a password cannot log in" rule.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["hash_password", "needs_rehash", "verify_password"]

# OWASP's argon2id profile (19 MiB, 2 passes, 1 lane) rather than argon2-cffi's
# default (64 MiB, 3 passes, 4 lanes): on a 2-core pod the default costs ~200 ms of
# CPU per login and a burst of sign-ups overruns the 2 s RPC deadline; this one costs
# ~30 ms (docs/performance.md). Hashes made with other parameters keep verifying and
# are upgraded on the next login (needs_rehash).
_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_MD5_HEX = re.compile(r"[0-9a-f]{32}")


def _is_legacy(stored: str) -> bool:
    return _MD5_HEX.fullmatch(stored) is not None


def hash_password(password: str) -> str:
    """Hash for a new password; ``""`` for an empty password (upstream stores "")."""
    return _HASHER.hash(password) if password else ""


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored`` (argon2id or legacy MD5 hex)."""
    if not stored:
        return False
    if _is_legacy(stored):
        digest = hashlib.md5(password.encode("utf-8")).hexdigest()  # noqa: S324 - legacy rows
        return hmac.compare_digest(digest, stored)
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Legacy MD5 or outdated argon2 parameters: store a fresh hash after login."""
    if _is_legacy(stored):
        return True
    try:
        return _HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return False
