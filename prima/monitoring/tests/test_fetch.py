"""Tests for prima.monitoring.fetch against a real HTTP server on 127.0.0.1.

The loopback server is reachable only because each test allow-lists 127.0.0.1 explicitly;
SSRF cases assert that no socket was ever connected (and, for numeric host forms, that no
DNS lookup happened either).
"""

from __future__ import annotations

import gzip
import shutil
import socket
import ssl
import subprocess
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from prima.monitoring import fetch
from prima.monitoring.fetch import (
    BlockedAddress,
    ConnectionFailed,
    FetchError,
    HttpError,
    InvalidURL,
    Timeout,
    TooLarge,
    TooManyRedirects,
)

LOOPBACK = ["127.0.0.1"]
FEED = b"<rss version='2.0'><channel><title>Berita</title></channel></rss>"
ETAG = '"v1-abc"'
LAST_MODIFIED = "Wed, 19 Nov 2025 03:00:00 GMT"
# 20 MB of zeros compresses to about 20 KB: a small decompression bomb.
BOMB = gzip.compress(b"\0" * (20 * 1024 * 1024), compresslevel=9)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        if "Content_Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self) -> None:
        self.server.requests.append((self.path, dict(self.headers)))  # type: ignore[attr-defined]
        path = self.path
        try:
            if path == "/feed":
                if self.headers.get("If-None-Match") == ETAG:
                    self.send(304, ETag=ETAG)
                else:
                    self.send(200, FEED, ETag=ETAG, Last_Modified=LAST_MODIFIED,
                              Content_Type="application/rss+xml")  # fmt: skip
            elif path == "/echo-host":
                self.send(200, (self.headers.get("Host") or "").encode())
            elif path.startswith("/hops/"):
                left = int(path.rsplit("/", 1)[1])
                if left:
                    self.send(302, Location=f"/hops/{left - 1}")
                else:
                    self.send(200, b"arrived")
            elif path == "/loop":
                self.send(301, Location="/loop")
            elif path == "/to-private":
                self.send(302, Location="http://10.0.0.1/internal")
            elif path == "/to-metadata":
                self.send(307, Location="http://169.254.169.254/latest/meta-data/")
            elif path == "/to-decimal":
                self.send(302, Location="http://2130706433/")
            elif path == "/to-ftp":
                self.send(302, Location="ftp://example.org/file")
            elif path == "/no-location":
                self.send(302)
            elif path == "/missing":
                self.send(404, b"not here")
            elif path == "/declared-big":
                self.send_response(200)
                self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.end_headers()
                self.wfile.write(b"x" * 1024)
            elif path == "/chunked-big":
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for _ in range(64):  # 4 MB in total, no Content-Length
                    chunk = b"y" * 65536
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
            elif path == "/gzip":
                self.send(200, gzip.compress(FEED), Content_Encoding="gzip")
            elif path == "/deflate":
                self.send(200, zlib.compress(FEED), Content_Encoding="deflate")
            elif path == "/deflate-raw":
                raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
                self.send(200, raw.compress(FEED) + raw.flush(), Content_Encoding="deflate")
            elif path == "/bomb":
                self.send(200, BOMB, Content_Encoding="gzip")
            elif path == "/broken-gzip":
                self.send(200, b"\x1f\x8b\x08\x00garbage-not-gzip", Content_Encoding="gzip")
            elif path == "/brotli":
                self.send(200, b"....", Content_Encoding="br")
            elif path == "/slow-headers":
                time.sleep(1.5)
                self.send(200, b"late")
            elif path == "/drip":
                self.send_response(200)
                self.send_header("Content-Length", "100")
                self.end_headers()
                for _ in range(30):  # one byte every 0.1 s: never idle long enough to time out
                    self.wfile.write(b"z")
                    self.wfile.flush()
                    time.sleep(0.1)
            elif path == "/cut-short":
                self.send_response(200)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(b"only a little")
                self.close_connection = True
            else:
                self.send(200, b"ok")
        except (BrokenPipeError, ConnectionResetError):
            pass


class CountingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.connections = 0
        self.requests: list[tuple[str, dict[str, str]]] = []

    def get_request(self) -> tuple[socket.socket, object]:
        request = super().get_request()
        self.connections += 1
        return request


@pytest.fixture(scope="module")
def server() -> Iterator[CountingServer]:
    httpd = CountingServer()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def base(server: CountingServer) -> str:
    server.connections = 0
    server.requests.clear()
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record every outgoing socket connect (and forbid socket.create_connection)."""
    seen: list[object] = []
    real_connect = socket.socket.connect

    def spy(self: socket.socket, address: Any) -> None:
        seen.append(address)
        real_connect(self, address)

    def no_create_connection(*args: object, **kwargs: object) -> None:
        raise AssertionError("fetch must not use socket.create_connection (it re-resolves)")

    monkeypatch.setattr(socket.socket, "connect", spy)
    monkeypatch.setattr(socket, "create_connection", no_create_connection)
    return seen


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test on any DNS lookup or connection."""

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("no DNS lookup or connection may happen for this URL")

    monkeypatch.setattr(socket, "getaddrinfo", forbidden)
    monkeypatch.setattr(socket.socket, "connect", forbidden)
    monkeypatch.setattr(socket, "create_connection", forbidden)


def fake_resolver(answers: Callable[[int], str]) -> tuple[Callable[..., list], list[str]]:
    calls: list[str] = []

    def resolve(host: str, port: int, *args: object, **kwargs: object) -> list:
        calls.append(host)
        ip = answers(len(calls))
        family = socket.AF_INET6 if ":" in ip else socket.AF_INET
        sockaddr = (ip, port, 0, 0) if family == socket.AF_INET6 else (ip, port)
        return [(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr)]

    return resolve, calls


# --- normal fetching --------------------------------------------------------------------


def test_it_fetches_a_feed_with_a_prima_user_agent(base: str, server: CountingServer) -> None:
    result = fetch.fetch(f"{base}/feed", allowed_networks=LOOPBACK)
    assert result.status == 200
    assert result.body == FEED
    assert result.etag == ETAG
    assert result.last_modified == LAST_MODIFIED
    assert result.not_modified is False
    assert result.content_type == "application/rss+xml"
    assert result.final_url == result.url == f"{base}/feed"
    headers = server.requests[-1][1]
    assert headers["User-Agent"].startswith("PRIMA")
    assert "gzip" in headers["Accept-Encoding"]


def test_it_sends_conditional_headers_and_reports_not_modified(
    base: str, server: CountingServer
) -> None:
    result = fetch.fetch(
        f"{base}/feed", etag=ETAG, last_modified=LAST_MODIFIED, allowed_networks=LOOPBACK
    )
    assert result.not_modified is True
    assert result.status == 304
    assert result.body == b""
    assert result.etag == ETAG
    assert result.last_modified == LAST_MODIFIED
    headers = server.requests[-1][1]
    assert headers["If-None-Match"] == ETAG
    assert headers["If-Modified-Since"] == LAST_MODIFIED


@pytest.mark.parametrize("path", ["/gzip", "/deflate", "/deflate-raw"])
def test_it_decodes_compressed_bodies(base: str, path: str) -> None:
    assert fetch.fetch(base + path, allowed_networks=LOOPBACK).body == FEED


def test_it_follows_up_to_three_redirects(base: str) -> None:
    result = fetch.fetch(f"{base}/hops/3", allowed_networks=LOOPBACK)
    assert result.body == b"arrived"
    assert result.final_url == f"{base}/hops/0"
    assert result.url == f"{base}/hops/3"


def test_it_refuses_a_fourth_redirect(base: str) -> None:
    with pytest.raises(TooManyRedirects):
        fetch.fetch(f"{base}/hops/4", allowed_networks=LOOPBACK)


def test_it_detects_a_redirect_loop(base: str, server: CountingServer) -> None:
    with pytest.raises(TooManyRedirects, match="loop"):
        fetch.fetch(f"{base}/loop", allowed_networks=LOOPBACK)
    assert server.connections == 1


def test_it_reports_http_errors_with_their_status(base: str) -> None:
    with pytest.raises(HttpError) as caught:
        fetch.fetch(f"{base}/missing", allowed_networks=LOOPBACK)
    assert caught.value.status == 404
    assert "404" in str(caught.value)


def test_a_redirect_without_location_is_an_http_error(base: str) -> None:
    with pytest.raises(HttpError):
        fetch.fetch(f"{base}/no-location", allowed_networks=LOOPBACK)


# --- SSRF -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://0x7f000001/",
        "http://017700000001/",
        "http://0177.0.0.1/",
        "http://127.1/",
        "http://0/",
        "http://[::1]/",
        "http://[::]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[2002:c0a8:0101::1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "http://[fc00::1]/",
        "http://[ff02::1]/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://172.31.255.255/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://100.127.255.254/",
        "http://224.0.0.1/",
        "http://239.255.255.250/",
        "http://255.255.255.255/",
        "http://0.0.0.0/",
        "http://192.168.1.1./",
        "https://10.0.0.1:443/",
    ],
)
def test_it_refuses_internal_addresses_without_connecting(url: str, no_network: None) -> None:
    with pytest.raises(BlockedAddress):
        fetch.fetch(url, allowed_networks=[])


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/",
        "file:///etc/passwd",
        "gopher://example.org/",
        "javascript:alert(1)",
        "http://user:secret@example.org/",
        "http://example.org@127.0.0.1/",
        "http://example.org\\@127.0.0.1/",
        "http:///nohost",
        "http://exa mple.org/",
        "http://example.org:99999/",
        "",
    ],
)
def test_it_refuses_malformed_or_non_web_urls(url: str, no_network: None) -> None:
    with pytest.raises(InvalidURL):
        fetch.fetch(url, allowed_networks=[])


def test_it_refuses_non_standard_ports_without_connecting(no_network: None) -> None:
    with pytest.raises(BlockedAddress, match="Port 8080"):
        fetch.fetch("http://93.184.216.34:8080/", allowed_networks=[])


def test_it_refuses_a_name_that_resolves_to_a_private_address(
    monkeypatch: pytest.MonkeyPatch, connects: list[object]
) -> None:
    resolve, calls = fake_resolver(lambda n: "10.1.2.3")
    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(BlockedAddress, match="private"):
        fetch.fetch("http://intranet.example.id/", allowed_networks=[])
    assert calls == ["intranet.example.id"]
    assert connects == []


def test_one_internal_answer_among_public_ones_blocks_the_host(
    monkeypatch: pytest.MonkeyPatch, connects: list[object]
) -> None:
    def resolve(host: str, port: int, *args: object, **kwargs: object) -> list:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(BlockedAddress):
        fetch.fetch("http://mixed.example.id/", allowed_networks=[])
    assert connects == []


def test_it_connects_to_the_checked_ip_and_keeps_the_host_name(
    base: str, server: CountingServer, monkeypatch: pytest.MonkeyPatch, connects: list[object]
) -> None:
    # DNS rebinding: the first answer is allowed, any later answer would be internal.
    resolve, calls = fake_resolver(lambda n: "127.0.0.1" if n == 1 else "10.9.9.9")
    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    port = server.server_address[1]
    result = fetch.fetch(f"http://rebind.example.id:{port}/echo-host", allowed_networks=LOOPBACK)
    assert result.body == f"rebind.example.id:{port}".encode()
    assert calls == ["rebind.example.id"]  # resolved exactly once
    assert connects == [("127.0.0.1", port)]


def test_a_redirect_to_a_private_address_is_blocked_at_the_hop(
    base: str, server: CountingServer, connects: list[object]
) -> None:
    # Only the loopback test server is allow-listed, not 10.0.0.0/8.
    with pytest.raises(BlockedAddress, match="private"):
        fetch.fetch(f"{base}/to-private", allowed_networks=LOOPBACK)
    assert len(connects) == 1
    assert server.connections == 1


@pytest.mark.parametrize("path", ["/to-metadata", "/to-decimal"])
def test_redirects_to_metadata_or_odd_numeric_hosts_are_blocked(
    base: str, path: str, connects: list[object]
) -> None:
    with pytest.raises(BlockedAddress):
        fetch.fetch(base + path, allowed_networks=LOOPBACK)
    assert len(connects) == 1


def test_a_redirect_to_another_scheme_is_refused(base: str) -> None:
    with pytest.raises(InvalidURL):
        fetch.fetch(f"{base}/to-ftp", allowed_networks=LOOPBACK)


def test_the_allow_list_can_open_a_private_network(
    monkeypatch: pytest.MonkeyPatch, base: str, server: CountingServer
) -> None:
    port = server.server_address[1]
    with pytest.raises(BlockedAddress):
        fetch.fetch(f"http://127.0.0.1:{port}/", allowed_networks=["10.0.0.0/8"])
    assert server.connections == 0
    assert fetch.fetch(f"http://127.0.0.1:{port}/", allowed_networks=["127.0.0.0/8"]).body == b"ok"


def test_invalid_allow_list_entries_allow_nothing(base: str, server: CountingServer) -> None:
    with pytest.raises(BlockedAddress):
        fetch.fetch(f"{base}/", allowed_networks=["not-a-network", "127.0.0.999"])
    assert server.connections == 0


def test_address_problem_names_the_reason() -> None:
    import ipaddress

    assert fetch.address_problem(ipaddress.ip_address("8.8.8.8")) == ""
    assert fetch.address_problem(ipaddress.ip_address("2606:4700::1111")) == ""
    assert "loopback" in fetch.address_problem(ipaddress.ip_address("::ffff:127.0.0.1"))
    assert "carrier-grade" in fetch.address_problem(ipaddress.ip_address("100.64.1.1"))
    assert "unique-local" in fetch.address_problem(ipaddress.ip_address("fd12::1"))
    assert (
        fetch.address_problem(
            ipaddress.ip_address("10.1.2.3"), fetch.parse_networks(["10.1.0.0/16"])
        )
        == ""
    )


# --- limits -----------------------------------------------------------------------------


def test_a_declared_oversize_body_is_refused_before_reading(base: str) -> None:
    with pytest.raises(TooLarge, match="over the limit"):
        fetch.fetch(f"{base}/declared-big", allowed_networks=LOOPBACK, max_bytes=1024 * 1024)


def test_a_streamed_body_is_cut_at_the_cap(base: str) -> None:
    with pytest.raises(TooLarge):
        fetch.fetch(f"{base}/chunked-big", allowed_networks=LOOPBACK, max_bytes=1024 * 1024)
    # The same body fits a bigger cap.
    result = fetch.fetch(f"{base}/chunked-big", allowed_networks=LOOPBACK, max_bytes=5_000_000)
    assert len(result.body) == 64 * 65536


def test_a_gzip_bomb_stops_at_the_decoded_cap(base: str) -> None:
    started = time.monotonic()
    with pytest.raises(TooLarge, match="decompressed"):
        fetch.fetch(f"{base}/bomb", allowed_networks=LOOPBACK, max_bytes=1024 * 1024)
    assert time.monotonic() - started < 5


def test_damaged_or_unknown_encodings_fail_cleanly(base: str) -> None:
    with pytest.raises(FetchError, match="damaged"):
        fetch.fetch(f"{base}/broken-gzip", allowed_networks=LOOPBACK)
    with pytest.raises(FetchError, match="not supported"):
        fetch.fetch(f"{base}/brotli", allowed_networks=LOOPBACK)


def test_a_slow_server_times_out(base: str) -> None:
    started = time.monotonic()
    with pytest.raises(Timeout):
        fetch.fetch(f"{base}/slow-headers", allowed_networks=LOOPBACK, timeout=0.3)
    assert time.monotonic() - started < 1.2


def test_a_dripping_server_hits_the_total_deadline(base: str) -> None:
    started = time.monotonic()
    with pytest.raises(Timeout):
        fetch.fetch(f"{base}/drip", allowed_networks=LOOPBACK, timeout=1, total_timeout=0.6)
    assert time.monotonic() - started < 1.5


def test_a_truncated_body_is_a_connection_failure(base: str) -> None:
    with pytest.raises(ConnectionFailed):
        fetch.fetch(f"{base}/cut-short", allowed_networks=LOOPBACK)


def test_a_refused_connection_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens on this port now
    with pytest.raises(ConnectionFailed):
        fetch.fetch(f"http://127.0.0.1:{port}/", allowed_networks=LOOPBACK)


def test_settings_are_read_at_call_time(
    base: str, monkeypatch: pytest.MonkeyPatch, server: CountingServer
) -> None:
    values = {
        "FETCH_ALLOWED_PRIVATE_NETWORKS": ["127.0.0.1/32"],
        "FETCH_MAX_BYTES": 10,
        "FETCH_TIMEOUT_SECONDS": 5,
    }
    monkeypatch.setattr(fetch, "_setting", lambda name, default: values.get(name, default))
    with pytest.raises(TooLarge):
        fetch.fetch(f"{base}/feed")
    values["FETCH_MAX_BYTES"] = 10_000
    assert fetch.fetch(f"{base}/feed").body == FEED


# --- TLS: SNI and certificate checks use the host name, the socket the checked IP -------


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    directory = tmp_path_factory.mktemp("tls")
    key, cert = directory / "key.pem", directory / "cert.pem"
    subprocess.run(  # noqa: S603 - fixed arguments, test only
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",  # noqa: S607
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=secure.example.id",
         "-addext", "subjectAltName=DNS:secure.example.id"],
        check=True, capture_output=True,
    )  # fmt: skip
    httpd = CountingServer()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], str(cert)
    httpd.shutdown()
    httpd.server_close()


def test_https_uses_the_host_name_for_sni_and_the_certificate(
    tls_server: tuple[int, str], monkeypatch: pytest.MonkeyPatch, connects: list[object]
) -> None:
    port, cert = tls_server
    resolve, calls = fake_resolver(lambda n: "127.0.0.1")
    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    context = ssl.create_default_context(cafile=cert)
    result = fetch.fetch(
        f"https://secure.example.id:{port}/echo-host",
        allowed_networks=LOOPBACK,
        ssl_context=context,
    )
    assert result.body == f"secure.example.id:{port}".encode()
    assert connects == [("127.0.0.1", port)]
    # A name the certificate does not cover fails the check even on the same IP.
    with pytest.raises(ConnectionFailed, match="certificate"):
        fetch.fetch(
            f"https://other.example.id:{port}/", allowed_networks=LOOPBACK, ssl_context=context
        )


def test_settings_come_from_django_when_it_is_configured() -> None:
    from django.conf import settings

    if not settings.configured:
        pytest.skip("Django settings are not configured in this run")
    assert fetch._setting("FETCH_MAX_BYTES", 0) == settings.FETCH_MAX_BYTES
    assert fetch._setting("FETCH_TIMEOUT_SECONDS", 0) == settings.FETCH_TIMEOUT_SECONDS
    assert fetch._setting("NO_SUCH_SETTING", "fallback") == "fallback"
