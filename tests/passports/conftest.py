"""A real broker for the passport tests: its own RSA key, its JWKS served over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from joserfc.jwk import RSAKey

from governance.passports import verifier
from tests.governance.conftest import gov  # noqa: F401  (the governance cast)


@dataclass
class Broker:
    issuer: str
    jwks_url: str
    key: RSAKey


@pytest.fixture
def broker(settings, tmp_path) -> Iterator[Broker]:
    key = RSAKey.generate_key(2048, parameters={"kid": "broker-key-1"})
    body = json.dumps({"keys": [key.as_dict(private=False)]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    jwks_url = f"http://127.0.0.1:{server.server_address[1]}/jwks"
    issuer = "https://login.example.org/oidc"
    settings.PASSPORT_TRUSTED_BROKERS = [f"{issuer}={jwks_url}"]
    settings.PASSPORT_SIGNING_KEYS_PATH = str(tmp_path / "signing-keys.json")
    verifier._jwks_cache.clear()
    from governance.passports.keys import signing_keys

    signing_keys.cache_clear()
    call_command("passport_keys", "--generate", verbosity=0)
    yield Broker(issuer=issuer, jwks_url=jwks_url, key=key)
    server.shutdown()
    verifier._jwks_cache.clear()
    signing_keys.cache_clear()
