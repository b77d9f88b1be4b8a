"""Errors raised by the data layer.

The data layer knows nothing about HTTP or gRPC codes. Logic code catches these and maps
them to upstream's codes: any ``DataError`` (including ``DuplicateKey`` and
``VersionConflict``) is what upstream reports as ``DB_ERROR`` (100005) unless a use case
documents a more specific message (e.g. order's "Failed to update homestay order status"
on a version conflict). The original driver exception is kept as ``__cause__``.
"""

from __future__ import annotations


class DataError(Exception):
    """A MySQL or Redis operation failed (connection, syntax, constraint, timeout...)."""


class DuplicateKey(DataError):
    """An insert or update hit a UNIQUE index (MySQL error 1062)."""


class VersionConflict(DataError):
    """An optimistic-lock update matched no row: someone else changed it first.

    Upstream's equivalent is go-zero's ``ErrNoRowsUpdate`` ("update db no rows change").
    """


class NotFound(DataError):
    """A write needed an existing live row (e.g. ``update`` by id) and there was none."""
