"""Sub-messages that must be on the wire even when all their fields are zero.

grpc.md §1: upstream's read RPCs answer "not found" with an *empty but present*
sub-message, and Go callers test ``sub == nil``. betterproto omits a nested message
whose fields are all defaults unless it was marked as set; :func:`present` marks it.
"""

from __future__ import annotations

import betterproto

__all__ = ["present"]


def present[M: betterproto.Message](message: M) -> M:
    """``message``, flagged so that it is serialised even if it is all zero."""
    message._serialized_on_wire = True
    return message
