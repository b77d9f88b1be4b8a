"""Settings of travel's processes, all read from etc/travel.yaml (keys.md)."""

from __future__ import annotations

from looklook.settings import (
    HttpConf,
    MySQLConf,
    ProcessSettings,
    RedisConf,
    RpcClientConf,
    RpcServerConf,
)

__all__ = ["ApiSettings", "RpcSettings"]


class ApiSettings(ProcessSettings):
    """travel-api reads lists from MySQL itself and calls travel-rpc and usercenter-rpc."""

    mysql: MySQLConf
    cache: RedisConf
    api: HttpConf
    travel_rpc: RpcClientConf
    usercenter_rpc: RpcClientConf


class RpcSettings(ProcessSettings):
    mysql: MySQLConf
    cache: RedisConf
    rpc: RpcServerConf
