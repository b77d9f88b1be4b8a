"""Every process starts with the configuration the chart gives it.

The chart writes each service's YAML into a ConfigMap and sets ports, peers and secrets as
environment variables. Nothing here runs a pod, so this test does what the container would:
load the rendered ConfigMap plus the container's env (secrets replaced by stand-ins) with the
process's own settings model. A key the chart renders but the service does not know, or one
the service requires but the chart never sets, fails here instead of crash-looping a rollout.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from looklook.settings import load_settings

from tests.delivery import helm
from tests.delivery import servicelist as sl
from tests.delivery.conftest import env_values

# What docs/deploy.md says an SRE must set: WeChat account data (not secrets).
_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_PUBLIC_PEM = _KEY.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
).decode()
_PRIVATE_PEM = _KEY.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
).decode()
MUST_SET = {
    "wxMini": {"appId": "wx0123456789abcdef"},
    "wxPay": {
        "mchId": "1900000001",
        "serialNo": "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
        "notifyUrl": "https://looklook.example/payment/v1/thirdPayment/thirdPaymentWxPayCallback",
        "platformPublicKey": _PUBLIC_PEM,
    },
}
SECRET_STANDINS = {"LOOKLOOK_WX_PAY__PRIVATE_KEY": _PRIVATE_PEM}
# The operator's config is checked by its own tests (services/operator/tests).
SKIP = {"operator"}


@pytest.fixture(scope="module", params=[None, *sl.ENVIRONMENTS], ids=lambda e: e or "default")
def objects(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> list:
    values = helm.merge_values(env_values(request.param), MUST_SET)
    return helm.render(sl.CHART, tmp_path_factory.mktemp("render"), values)


def _container_env(container: dict[str, Any]) -> dict[str, str]:
    env: dict[str, str] = {}
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = str(item["value"])
        else:  # a Secret reference: stand in a value of a plausible shape
            env[item["name"]] = SECRET_STANDINS.get(item["name"], "s" * 32)
    return env


def _settings_model(service: str, process: str) -> type:
    main = importlib.import_module(f"{service}.main")
    proc = getattr(main, process.upper())
    model: type = proc.settings_type
    return model


def test_every_process_loads_its_rendered_config(objects: list, tmp_path: Path) -> None:
    config_maps = {o["metadata"]["name"]: o for o in objects if o["kind"] == "ConfigMap"}
    deployments = [o for o in objects if o["kind"] == "Deployment"]
    checked = set()
    for dep in deployments:
        pod = dep["spec"]["template"]["spec"]
        container = pod["containers"][0]
        process, _flag, config_path = container["args"][:3]
        service = Path(config_path).stem  # /etc/looklook/<service>.yaml
        if service in SKIP:
            continue
        volume = next(v for v in pod["volumes"] if v["name"] == "config")
        data = config_maps[volume["configMap"]["name"]]["data"]
        config_file = tmp_path / f"{service}-{process}.yaml"
        config_file.write_text(data[Path(config_path).name], encoding="utf-8")
        model = _settings_model(service, process)
        load_settings(model, config_file, environ=_container_env(container))
        checked.add(f"{service}/{process}")
    expected = {f"{r.service}/{r.name}" for r in sl.processes() if r.service not in SKIP}
    assert checked == expected
