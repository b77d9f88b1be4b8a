"""Typed process settings: one YAML per service, ``${VAR}`` expansion, env overrides.

Each process of a service loads its own pydantic model from the shared service YAML
(unknown keys are ignored, so sections for sibling processes do not disturb it).
Environment variables ``LOOKLOOK_<KEY>__<SUB>=value`` override file values; that is how
the local stack runner and the Helm chart inject ports, peer addresses and secrets.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

__all__ = [
    "ConfModel",
    "ConfigError",
    "HttpConf",
    "JwtConf",
    "KafkaConf",
    "LogConf",
    "MySQLConf",
    "OpsConf",
    "Port",
    "ProcessSettings",
    "RedisConf",
    "RpcClientConf",
    "RpcServerConf",
    "TelemetryConf",
    "load_settings",
]

Port = Annotated[int, Field(ge=1, le=65535)]


class ConfigError(Exception):
    """Settings could not be loaded; the message names every bad key and the file."""


class ConfModel(BaseModel):
    """Base of every settings block: an unknown key is an error (a typo such as
    ``LOOKLOOK_MYSQL__HOTS`` must not be silently ignored), numbers are accepted for
    strings (a YAML ``password: 123456`` is a string to us, as it is to go-zero)."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class MySQLConf(ConfModel):
    host: str = "127.0.0.1"
    port: Port = 3306
    user: str = "root"
    password: str = ""
    database: str
    connect_timeout_s: float = 5
    pool_min: int = Field(default=1, ge=0)
    pool_max: int = Field(default=10, ge=1)


class RedisConf(ConfModel):
    host: str = "127.0.0.1"
    port: Port = 6379
    password: str = ""
    db: int = Field(default=0, ge=0)

    @property
    def url(self) -> str:
        """``redis://`` URL for clients that take one (taskiq-redis, redis.from_url)."""
        from urllib.parse import quote

        auth = f":{quote(self.password, safe='')}@" if self.password else ""
        return f"redis://{auth}{self.host}:{self.port}/{self.db}"


class JwtConf(ConfModel):
    access_secret: str = Field(min_length=16)
    access_expire: int = Field(default=31536000, gt=0)  # seconds


class HttpConf(ConfModel):
    host: str = "0.0.0.0"
    port: Port
    timeout_ms: int = Field(default=3000, ge=0)  # 0 disables the handler deadline
    max_bytes: int = Field(default=1048576, gt=0)
    max_conns: int = Field(default=10000, ge=0)  # 0 = unlimited
    cpu_threshold: int = Field(default=900, ge=0, le=1000)  # per mille; 0 disables shedding


class RpcServerConf(ConfModel):
    host: str = "0.0.0.0"
    port: Port
    timeout_ms: int = Field(default=2000, ge=0)


class RpcClientConf(ConfModel):
    endpoint: str
    timeout_ms: int = Field(default=2000, ge=0)

    @field_validator("endpoint")
    @classmethod
    def _host_port(cls, v: str) -> str:
        host, sep, port = v.rpartition(":")
        if not sep or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
            raise ValueError("must be host:port")
        return v

    @property
    def host(self) -> str:
        return self.endpoint.rpartition(":")[0].strip("[]")

    @property
    def port(self) -> int:
        return int(self.endpoint.rpartition(":")[2])


class KafkaConf(ConfModel):
    brokers: list[str] = Field(min_length=1)
    topic: str = Field(min_length=1)
    group: str | None = None


class OpsConf(ConfModel):
    host: str = "0.0.0.0"
    port: Port


class LogConf(ConfModel):
    level: Literal["debug", "info", "warning", "error", "critical"] = "info"

    @field_validator("level", mode="before")
    @classmethod
    def _lower(cls, v: Any) -> Any:
        if isinstance(v, str):
            v = v.strip().lower()
            return {"warn": "warning", "severe": "error"}.get(v, v)
        return v


class TelemetryConf(ConfModel):
    endpoint: str = ""  # OTLP/HTTP traces URL; empty = exporter off
    sampler: float = Field(default=1.0, ge=0.0, le=1.0)


class ProcessSettings(ConfModel):
    """Keys every process has; service settings models subclass it.

    Unknown top-level sections are ignored: one YAML file (and one environment) serves all
    of a service's processes, and each process reads only its own sections."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    name: str
    mode: Literal["dev", "test", "pro"] = "pro"
    log: LogConf = LogConf()
    telemetry: TelemetryConf = TelemetryConf()
    ops: OpsConf
    shutdown_grace_s: float = Field(default=10.0, ge=0)


_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def _expand(value: Any, environ: Mapping[str, str]) -> Any:
    """Replace ``${VAR}`` / ``${VAR:-default}`` inside every string scalar."""
    if isinstance(value, str):
        return _VAR.sub(lambda m: environ.get(m.group(1)) or (m.group(2) or ""), value)
    if isinstance(value, dict):
        return {k: _expand(v, environ) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, environ) for v in value]
    return value


def _lower_keys(value: Any) -> Any:
    """go-zero matches config keys case-insensitively; we normalise to lower case."""
    if isinstance(value, dict):
        return {str(k).lower(): _lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower_keys(v) for v in value]
    return value


def _parse_env_value(raw: str) -> Any:
    """Flow lists/maps (``[a:9092,b:9092]``) are parsed as YAML; scalars stay strings
    so pydantic coerces them per field type and PEM/secret text is never mangled."""
    text = raw.strip()
    if text[:1] in ("[", "{"):
        try:
            return _lower_keys(yaml.safe_load(text)) if text[:1] == "{" else yaml.safe_load(text)
        except yaml.YAMLError:
            return raw
    return raw


def _apply_env(data: dict[str, Any], environ: Mapping[str, str], prefix: str) -> None:
    plen = len(prefix)
    for name, raw in sorted(environ.items()):
        if len(name) <= plen or name[:plen].upper() != prefix.upper():
            continue
        path = [p.lower() for p in name[plen:].split("__")]
        if any(not p for p in path):
            continue
        node = data
        for part in path[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[path[-1]] = _parse_env_value(raw)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"config {path}: cannot read: {exc.strerror or exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"config {path}: invalid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"config {path}: top level must be a mapping")
    return data


def _describe(err: ValidationError, env_prefix: str) -> list[str]:
    """One line per failing key, naming the environment variable that sets it too, since
    secrets and ports only ever come from the environment."""
    lines = []
    for e in err.errors():
        parts = [str(p) for p in e["loc"]]
        loc = ".".join(parts) or "<root>"
        msg = e["msg"]
        env = env_prefix + "__".join(p.upper() for p in parts if not p.isdigit())
        hint = f" (env {env})" if parts else ""
        lines.append(f"{loc}: {msg[:1].lower()}{msg[1:]}{hint}")
    return lines


def load_settings[T: BaseModel](
    model: type[T],
    path: str | Path | None,
    *,
    environ: Mapping[str, str] = os.environ,
    env_prefix: str = "LOOKLOOK_",
) -> T:
    """Load ``model`` from the YAML at ``path`` (None = no file) plus env overrides.

    Raises ConfigError naming each missing/invalid key as a dotted path and the file.
    """
    source = Path(path) if path is not None else None
    data = _lower_keys(_expand(_read_yaml(source), environ)) if source else {}
    _apply_env(data, environ, env_prefix)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        where = str(source) if source else "<no file>"
        details = "; ".join(_describe(exc, env_prefix))
        raise ConfigError(f"config {where}: {details}") from None
