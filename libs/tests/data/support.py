"""The data-layer tests' own table (``gadget``) and connection settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from looklook.data import EPOCH, CachedModel, date_column
from looklook.settings import MySQLConf, RedisConf

SQL_DIR = Path(__file__).parent / "sql"


@dataclass
class Gadget:
    id: int = 0
    create_time: datetime = EPOCH
    update_time: datetime = EPOCH
    delete_time: datetime = EPOCH
    del_state: int = 0
    version: int = 0
    code: str = ""
    owner_id: int = 0
    kind: str = ""
    rating: float = 0.0
    ship_date: datetime = date_column()


class GadgetModel(CachedModel[Gadget]):
    row_type = Gadget
    table = "gadget"
    cache_prefix = "cache:looklookTest:gadget:"
    unique_keys = (("code",), ("owner_id", "kind"))


def mysql_conf(infra) -> MySQLConf:
    return MySQLConf(
        host=infra.mysql_host,
        port=infra.mysql_port,
        user=infra.mysql_user,
        password=infra.mysql_password,
        database="unused",
        pool_max=20,
    )


def redis_conf(infra) -> RedisConf:
    return RedisConf(host=infra.redis_host, port=infra.redis_port, db=0)
