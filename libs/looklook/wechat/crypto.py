"""WeChat Pay v3 cryptography: RSA-SHA256 signatures and AEAD_AES_256_GCM resources.

Both directions live here because the sandbox plays WeChat with the same primitives:
the merchant signs requests and verifies answers/notifications with the platform key;
WeChat (or the sandbox) does the reverse. Messages are newline-joined fields, each
followed by ``\\n`` (e.g. ``METHOD\\nURL\\nTIMESTAMP\\nNONCE\\nBODY\\n``).
"""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = [
    "WxPayCryptoError",
    "decrypt_resource",
    "encrypt_resource",
    "load_private_key",
    "load_public_key",
    "message",
    "sign",
    "verify",
]


class WxPayCryptoError(Exception):
    """A key does not load, a signature does not verify or a resource does not decrypt."""


def message(*fields: str) -> bytes:
    """The v3 signing string: every field followed by a newline."""
    return "".join(f"{f}\n" for f in fields).encode()


def load_private_key(pem: str) -> rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise WxPayCryptoError(f"bad RSA private key: {exc}") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise WxPayCryptoError("private key is not RSA")
    return key


def load_public_key(pem: str) -> rsa.RSAPublicKey:
    """A PEM public key (``BEGIN PUBLIC KEY``) or the public key of a PEM certificate."""
    data = pem.encode()
    key: PublicKeyTypes
    try:
        if b"CERTIFICATE" in data:
            from cryptography import x509

            key = x509.load_pem_x509_certificate(data).public_key()
        else:
            key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise WxPayCryptoError(f"bad RSA public key: {exc}") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise WxPayCryptoError("public key is not RSA")
    return key


def sign(key: rsa.RSAPrivateKey, msg: bytes) -> str:
    """Base64 SHA256withRSA (PKCS#1 v1.5) signature of ``msg``."""
    return base64.b64encode(key.sign(msg, padding.PKCS1v15(), hashes.SHA256())).decode()


def verify(key: rsa.RSAPublicKey, msg: bytes, signature_b64: str) -> None:
    """Raise WxPayCryptoError unless ``signature_b64`` signs ``msg``."""
    try:
        signature = base64.b64decode(signature_b64, validate=True)
        key.verify(signature, msg, padding.PKCS1v15(), hashes.SHA256())
    except (binascii.Error, ValueError, InvalidSignature) as exc:
        raise WxPayCryptoError("signature does not verify") from exc


def _aes(api_v3_key: str) -> AESGCM:
    raw = api_v3_key.encode()
    if len(raw) != 32:
        raise WxPayCryptoError("APIv3 key must be 32 bytes")
    return AESGCM(raw)


def decrypt_resource(api_v3_key: str, nonce: str, associated_data: str, ciphertext: str) -> bytes:
    """Plain text of a notification ``resource`` (AEAD_AES_256_GCM, tag appended)."""
    try:
        data = base64.b64decode(ciphertext, validate=True)
        return _aes(api_v3_key).decrypt(nonce.encode(), data, associated_data.encode())
    except (binascii.Error, ValueError, InvalidTag) as exc:
        raise WxPayCryptoError("resource does not decrypt") from exc


def encrypt_resource(
    api_v3_key: str, plaintext: bytes, associated_data: str = "transaction"
) -> dict[str, str]:
    """The ``resource`` object WeChat posts: algorithm, ciphertext, nonce, associated_data."""
    nonce = base64.b32encode(os.urandom(10)).decode()[:12]
    data = _aes(api_v3_key).encrypt(nonce.encode(), plaintext, associated_data.encode())
    return {
        "original_type": associated_data,
        "algorithm": "AEAD_AES_256_GCM",
        "ciphertext": base64.b64encode(data).decode(),
        "associated_data": associated_data,
        "nonce": nonce,
    }
