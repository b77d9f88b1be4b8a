"""Settings of payment's processes, all read from etc/payment.yaml (keys.md)."""

from __future__ import annotations

from looklook.settings import (
    HttpConf,
    JwtConf,
    KafkaConf,
    MySQLConf,
    ProcessSettings,
    RedisConf,
    RpcClientConf,
    RpcServerConf,
)
from looklook.wechat.miniprogram import WxMiniConf
from looklook.wechat.pay import WxPayConf
from pydantic import Field

__all__ = ["ApiSettings", "RpcSettings"]


class ApiSettings(ProcessSettings):
    """payment-api: WeChat JSAPI prepay and the pay notification callback."""

    jwt: JwtConf
    api: HttpConf
    payment_rpc: RpcClientConf
    order_rpc: RpcClientConf
    usercenter_rpc: RpcClientConf
    wx_mini: WxMiniConf
    wx_pay: WxPayConf


class RpcSettings(ProcessSettings):
    """payment-rpc: owns looklook_payment; relays its outbox to Kafka."""

    mysql: MySQLConf
    cache: RedisConf
    rpc: RpcServerConf
    kafka: KafkaConf
    outbox_poll_s: float = Field(default=0.2, gt=0)
