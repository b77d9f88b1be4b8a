"""Development WeChat Pay keys: merchant and platform RSA key pairs and an APIv3 key.

Generated once into ``.run/wxpay/`` and reused, so payments started before a restart
still verify after it. ``payment_env`` is what payment-api needs (keys.md), and
``sandbox_env`` what the sandbox needs to play WeChat: it verifies the merchant's
requests with the merchant public key and signs as the platform.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .servicelist import REPO_ROOT

__all__ = ["DEV_MCH_ID", "DEV_SERIAL_NO", "WxPayKeys", "ensure_keys"]

KEYS_DIR = REPO_ROOT / ".run" / "wxpay"
DEV_MCH_ID = "1900000001"
DEV_SERIAL_NO = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"


@dataclass(frozen=True)
class WxPayKeys:
    merchant_private: str
    merchant_public: str
    platform_private: str
    platform_public: str
    api_v3_key: str

    def payment_env(self, notify_url: str) -> dict[str, str]:
        return {
            "LOOKLOOK_WX_PAY__MCH_ID": DEV_MCH_ID,
            "LOOKLOOK_WX_PAY__SERIAL_NO": DEV_SERIAL_NO,
            "LOOKLOOK_WX_PAY__API_V3_KEY": self.api_v3_key,
            "LOOKLOOK_WX_PAY__PRIVATE_KEY": self.merchant_private,
            "LOOKLOOK_WX_PAY__PLATFORM_PUBLIC_KEY": self.platform_public,
            "LOOKLOOK_WX_PAY__NOTIFY_URL": notify_url,
        }

    def sandbox_env(self) -> dict[str, str]:
        return {
            "WXSANDBOX_MCH_ID": DEV_MCH_ID,
            "WXSANDBOX_API_V3_KEY": self.api_v3_key,
            "WXSANDBOX_MERCHANT_PUBLIC_KEY": self.merchant_public,
            "WXSANDBOX_PLATFORM_PRIVATE_KEY": self.platform_private,
        }


def _pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def generate() -> WxPayKeys:
    """Fresh keys (tests use these directly, without touching ``.run``)."""
    mp, mpub = _pair()
    pp, ppub = _pair()
    api_v3 = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    return WxPayKeys(mp, mpub, pp, ppub, api_v3)


_FILES = {
    "merchant_private": "merchant_private.pem",
    "merchant_public": "merchant_public.pem",
    "platform_private": "platform_private.pem",
    "platform_public": "platform_public.pem",
    "api_v3_key": "apiv3.key",
}


def ensure_keys(directory: Path = KEYS_DIR) -> WxPayKeys:
    """The keys in ``directory``, generated there first if any file is missing."""
    paths = {field: directory / name for field, name in _FILES.items()}
    if not all(p.exists() for p in paths.values()):
        keys = generate()
        directory.mkdir(parents=True, exist_ok=True)
        for field, path in paths.items():
            path.write_text(getattr(keys, field), encoding="utf-8")
            path.chmod(0o600)
    return WxPayKeys(
        **{
            f: p.read_text(encoding="utf-8").strip() + ("\n" if f != "api_v3_key" else "")
            for f, p in paths.items()
        }
    )
