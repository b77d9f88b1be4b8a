"""Settings of usercenter's processes, all read from etc/usercenter.yaml (keys.md)."""

from __future__ import annotations

from looklook.settings import (
    HttpConf,
    JwtConf,
    MySQLConf,
    ProcessSettings,
    RedisConf,
    RpcClientConf,
    RpcServerConf,
)
from looklook.wechat.miniprogram import WxMiniConf

__all__ = ["ApiSettings", "RpcSettings"]


class ApiSettings(ProcessSettings):
    """usercenter-api: HTTP, JWT check, usercenter-rpc client, WeChat mini-program."""

    jwt: JwtConf
    api: HttpConf
    usercenter_rpc: RpcClientConf
    wx_mini: WxMiniConf


class RpcSettings(ProcessSettings):
    """usercenter-rpc: owns looklook_usercenter and signs tokens."""

    mysql: MySQLConf
    cache: RedisConf
    jwt: JwtConf
    rpc: RpcServerConf
