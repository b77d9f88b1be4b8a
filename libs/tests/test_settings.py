from __future__ import annotations

from pathlib import Path

import pytest
from looklook.settings import (
    ConfigError,
    HttpConf,
    JwtConf,
    KafkaConf,
    MySQLConf,
    ProcessSettings,
    RedisConf,
    RpcClientConf,
    load_settings,
)


class ApiSettings(ProcessSettings):
    mysql: MySQLConf
    cache: RedisConf = RedisConf()
    jwt: JwtConf
    api: HttpConf
    usercenter_rpc: RpcClientConf
    kafka: KafkaConf | None = None


YAML = """
Name: usercenter-api
mode: dev
log: {level: error}
mysql:
  database: looklook_usercenter
  password: ${DB_PASS:-devpass}
jwt:
  access_secret: ${JWT_SECRET}
  access_expire: 3600
rpc:            # another process's section: ignored by ApiSettings
  port: 2004
wx_pay:
  private_key: |
    -----BEGIN PRIVATE KEY-----
    abc
    -----END PRIVATE KEY-----
"""

ENV = {
    "JWT_SECRET": "s" * 20,
    "LOOKLOOK_API__PORT": "1004",
    "LOOKLOOK_OPS__PORT": "4008",
    "LOOKLOOK_USERCENTER_RPC__ENDPOINT": "127.0.0.1:2004",
}


@pytest.fixture
def conf_file(tmp_path: Path) -> Path:
    path = tmp_path / "usercenter.yaml"
    path.write_text(YAML, encoding="utf-8")
    return path


def test_yaml_env_expansion_and_overrides(conf_file: Path) -> None:
    s = load_settings(ApiSettings, conf_file, environ=ENV)
    assert s.name == "usercenter-api" and s.mode == "dev"
    assert s.log.level == "error"
    assert s.mysql.database == "looklook_usercenter" and s.mysql.password == "devpass"
    assert s.mysql.host == "127.0.0.1" and s.mysql.pool_max == 10
    assert s.jwt.access_secret == "s" * 20 and s.jwt.access_expire == 3600
    assert s.api.port == 1004 and s.api.timeout_ms == 3000 and s.api.max_bytes == 1048576
    assert (s.ops.port, s.ops.host) == (4008, "0.0.0.0")
    assert (s.usercenter_rpc.host, s.usercenter_rpc.port) == ("127.0.0.1", 2004)
    assert s.telemetry.endpoint == "" and s.telemetry.sampler == 1.0


def test_env_override_beats_yaml_and_is_case_insensitive(conf_file: Path) -> None:
    env = ENV | {
        "DB_PASS": "fromvar",
        "looklook_mysql__HOST": "db.internal",
        "LOOKLOOK_MYSQL__PASSWORD": "007",  # numeric-looking secret stays a string
        "LOOKLOOK_MODE": "test",
        "LOOKLOOK_KAFKA__BROKERS": "[a:9092, b:9092]",
        "LOOKLOOK_KAFKA__TOPIC": "payment-update-paystatus-topic",
        "LOOKLOOK_CACHE__DB": "3",
    }
    s = load_settings(ApiSettings, conf_file, environ=env)
    assert s.mysql.host == "db.internal" and s.mysql.password == "007"
    assert s.mode == "test"
    assert s.kafka is not None and s.kafka.brokers == ["a:9092", "b:9092"]
    assert s.kafka.group is None
    assert s.cache.db == 3


def test_pem_from_env_is_kept_verbatim(conf_file: Path) -> None:
    class PaySettings(ProcessSettings):
        wx_pay: dict[str, str]

    pem = "-----BEGIN PRIVATE KEY-----\nMIIE: x\n-----END PRIVATE KEY-----\n"
    s = load_settings(PaySettings, conf_file, environ=ENV | {"LOOKLOOK_WX_PAY__PRIVATE_KEY": pem})
    assert s.wx_pay["private_key"] == pem


def test_errors_name_every_bad_key_and_the_file(conf_file: Path) -> None:
    env = {"JWT_SECRET": "short", "LOOKLOOK_API__PORT": "70000", "LOOKLOOK_MODE": "prod"}
    with pytest.raises(ConfigError) as info:
        load_settings(ApiSettings, conf_file, environ=env)
    text = str(info.value)
    assert str(conf_file) in text
    for needle in (
        "ops: field required",
        "usercenter_rpc: field required",
        "api.port: input should be less than or equal to 65535",
        "jwt.access_secret: string should have at least 16 characters",
        "mode: input should be 'dev', 'test' or 'pro'",
    ):
        assert needle in text, text


def test_missing_required_nested_key() -> None:
    with pytest.raises(ConfigError, match=r"api\.port: field required"):
        load_settings(
            ApiSettings,
            None,
            environ={
                "LOOKLOOK_NAME": "x",
                "LOOKLOOK_OPS__PORT": "1",
                "LOOKLOOK_API__HOST": "0.0.0.0",
                "LOOKLOOK_MYSQL__DATABASE": "d",
                "LOOKLOOK_JWT__ACCESS_SECRET": "k" * 16,
                "LOOKLOOK_USERCENTER_RPC__ENDPOINT": "h:1",
            },
        )


@pytest.mark.parametrize("endpoint", ["nohost", ":2004", "h:0", "h:port", "h:70000"])
def test_rpc_endpoint_must_be_host_port(endpoint: str) -> None:
    with pytest.raises(ConfigError, match="usercenter_rpc.endpoint"):
        load_settings(
            ApiSettings,
            None,
            environ=ENV | {"LOOKLOOK_USERCENTER_RPC__ENDPOINT": endpoint},
        )


def test_unreadable_or_invalid_yaml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(ApiSettings, tmp_path / "missing.yaml", environ={})
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [1, 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_settings(ApiSettings, bad, environ={})
    listy = tmp_path / "list.yaml"
    listy.write_text("- 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="must be a mapping"):
        load_settings(ApiSettings, listy, environ={})


def test_redis_url_quotes_password() -> None:
    assert RedisConf(password="p@ss/w", db=2).url == "redis://:p%40ss%2Fw@127.0.0.1:6379/2"
    assert RedisConf().url == "redis://127.0.0.1:6379/0"


def test_a_misspelt_key_stops_start_up(conf_file: Path) -> None:
    """A typo in a block (here an env override) is an error naming the key, not ignored;
    other processes' sections and unrelated variables stay ignored."""
    with pytest.raises(ConfigError, match=r"mysql\.hots: extra inputs are not permitted"):
        load_settings(ApiSettings, conf_file, environ={**ENV, "LOOKLOOK_MYSQL__HOTS": "db"})
    load_settings(ApiSettings, conf_file, environ={**ENV, "LOOKLOOK_ORDER_RPC__ENDPOINT": "x:1"})


def test_errors_name_the_environment_variable(conf_file: Path) -> None:
    env = {k: v for k, v in ENV.items() if k != "JWT_SECRET"}
    with pytest.raises(ConfigError) as info:
        load_settings(ApiSettings, conf_file, environ=env)
    assert "jwt.access_secret: " in str(info.value)
    assert "(env LOOKLOOK_JWT__ACCESS_SECRET)" in str(info.value)
