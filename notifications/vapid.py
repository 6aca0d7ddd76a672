"""VAPID keys (RFC 8292) as the settings hold them: base64url, without padding. Plain
cryptography, no Django: production settings check the keys while they load."""

import base64

__all__ = ["b64url", "b64url_decode", "generate_vapid_keys", "vapid_key_problems"]


def generate_vapid_keys() -> tuple[str, str]:
    """A new VAPID key pair as the settings take it: (public, private), base64url without padding."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    private = key.private_numbers().private_value.to_bytes(32, "big")
    return b64url(public), b64url(private)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def vapid_key_problems(public: str, private: str) -> list[str]:
    """What is wrong with a VAPID key pair from the settings (empty: nothing)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    if not public or not private:
        return ["WEB_PUSH_VAPID_PUBLIC_KEY and WEB_PUSH_VAPID_PRIVATE_KEY must be set together."]
    try:
        private_value = int.from_bytes(b64url_decode(private), "big")
        derived = ec.derive_private_key(private_value, ec.SECP256R1()).public_key()
        public_bytes = b64url_decode(public)
    except (ValueError, TypeError):
        return ["WEB_PUSH_VAPID_PRIVATE_KEY or WEB_PUSH_VAPID_PUBLIC_KEY is not a base64url P-256 key."]
    expected = derived.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    if public_bytes != expected:
        return ["WEB_PUSH_VAPID_PUBLIC_KEY is not the public half of WEB_PUSH_VAPID_PRIVATE_KEY."]
    return []
