"""A push service on 127.0.0.1 (the test settings allow plain http to a loopback host): it records
what the server posts and decrypts it with the browser keys the test made (RFC 8291), as a
browser would, and checks the VAPID signature against the site's public key."""

import json
import os
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from notifications.vapid import b64url, b64url_decode, generate_vapid_keys


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Browser:
    """One browser's subscription: the keys it holds, and what it received."""

    service: "PushService"
    path: str
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def endpoint(self) -> str:
        return f"{self.service.base}{self.path}"

    def subscription(self) -> dict:
        public = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"endpoint": self.endpoint, "keys": {"p256dh": b64url(public), "auth": b64url(self.auth)}}

    def messages(self) -> list[dict]:
        """What arrived for this browser, decrypted."""
        return [
            json.loads(
                http_ece.decrypt(item.body, private_key=self.key, auth_secret=self.auth, version="aes128gcm")
            )
            for item in self.service.received
            if item.path == self.path
        ]


class PushService:
    def __init__(self, server: ThreadingHTTPServer):
        self.server = server
        self.received: list[Received] = []
        self.status: dict[str, int] = {}  # path -> the status to answer (201 otherwise)
        self.base = f"http://127.0.0.1:{server.server_address[1]}"

    def browser(self, name: str = "device") -> Browser:
        return Browser(self, f"/push/{name}-{os.urandom(4).hex()}")

    def verify_vapid(self, item: Received, public_key: str) -> bool:
        scheme, _, params = item.headers["authorization"].partition(" ")
        parts = dict(part.strip().split("=", 1) for part in params.split(","))
        if scheme != "vapid" or parts["k"] != public_key:
            return False
        header, payload, signature = parts["t"].split(".")
        claims = json.loads(b64url_decode(payload))
        raw = b64url_decode(signature)
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(public_key))
        try:
            public.verify(
                encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
                f"{header}.{payload}".encode(),
                ec.ECDSA(hashes.SHA256()),
            )
        except InvalidSignature:
            return False
        return claims["aud"] == self.base


@pytest.fixture
def push_service():
    holder: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            service: PushService = holder["service"]
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            service.received.append(
                Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            self.send_response(service.status.get(self.path, 201))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder["service"] = PushService(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield holder["service"]
    server.shutdown()
    server.server_close()


@pytest.fixture
def vapid(settings):
    """Push on, with a key pair made for this test."""
    public, private = generate_vapid_keys()
    settings.WEB_PUSH_VAPID_PUBLIC_KEY = public
    settings.WEB_PUSH_VAPID_PRIVATE_KEY = private
    settings.WEB_PUSH_CONTACT = "mailto:push-test@example.com"
    return public
