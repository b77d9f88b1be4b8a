"""The data layer: MySQL pool, go-zero compatible row cache, cached models, migrations.

Errors are :mod:`looklook.data.errors` types, free of HTTP/gRPC codes; logic maps them
(``DataError`` → upstream's 100005 unless a use case says otherwise).
"""

from looklook.data.cache import Cache, create_cache, redis_readiness
from looklook.data.codec import EPOCH, date_column
from looklook.data.db import Database, Transaction, create_database, mysql_readiness
from looklook.data.errors import DataError, DuplicateKey, NotFound, VersionConflict
from looklook.data.model import CachedModel

__all__ = [
    "EPOCH",
    "Cache",
    "CachedModel",
    "DataError",
    "Database",
    "DuplicateKey",
    "NotFound",
    "Transaction",
    "VersionConflict",
    "create_cache",
    "create_database",
    "date_column",
    "mysql_readiness",
    "redis_readiness",
]
