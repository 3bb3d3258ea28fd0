"""The guarded POST used for chat webhooks: same SSRF guard as fetching, no redirects,
bounded, errors as FetchError."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from prima.monitoring import fetch

LOOPBACK = ["127.0.0.1/32"]


class Hook(BaseHTTPRequestHandler):
    received: list[tuple[str, dict[str, str], bytes]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Hook.received.append((self.path, dict(self.headers), body))
        status = {"/ok": 200, "/accepted": 204, "/moved": 302}.get(self.path, 500)
        self.send_response(status)
        if status == 302:
            self.send_header("Location", "http://127.0.0.1/elsewhere")
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def base() -> Iterator[str]:
    Hook.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_it_posts_json_with_its_headers(base: str) -> None:
    body = json.dumps({"text": "Krisis Tinggi"}).encode()
    assert fetch.post_json(f"{base}/ok", body, headers={"Idempotency-Key": "k1"},
                           allowed_networks=LOOPBACK) == 200  # fmt: skip
    ((path, headers, received),) = Hook.received
    assert path == "/ok" and received == body
    assert headers["Idempotency-Key"] == "k1"
    assert headers["Content-Type"].startswith("application/json")
    assert fetch.post_json(f"{base}/accepted", b"{}", allowed_networks=LOOPBACK) == 204


def test_it_refuses_redirects_and_errors(base: str) -> None:
    with pytest.raises(fetch.HttpError):
        fetch.post_json(f"{base}/moved", b"{}", allowed_networks=LOOPBACK)
    with pytest.raises(fetch.HttpError):
        fetch.post_json(f"{base}/broken", b"{}", allowed_networks=LOOPBACK)


def test_it_refuses_internal_addresses_unless_allowed(base: str) -> None:
    with pytest.raises(fetch.BlockedAddress):
        fetch.post_json(f"{base}/ok", b"{}", allowed_networks=[])
    with pytest.raises(fetch.BlockedAddress):
        fetch.post_json("http://169.254.169.254/latest", b"{}", allowed_networks=[])
    assert Hook.received == []


def test_it_refuses_oversized_messages() -> None:
    with pytest.raises(fetch.TooLarge):
        fetch.post_json("https://chat.example.org/hook", b"x" * (fetch.MAX_POST_BYTES + 1))
