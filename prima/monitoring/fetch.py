"""The one module that makes outgoing HTTP requests for monitoring (the seam tests replace).

:func:`fetch` GETs a URL and returns its bytes. It protects the server it runs on:

* **SSRF guard** - the host is resolved here, every address is checked (loopback, private,
  link-local, CGNAT, unique-local, multicast, unspecified, reserved, and IPv4 addresses
  hidden in IPv6 forms are refused), and the socket is then opened to the *checked* IP,
  so a second DNS answer cannot swap in an internal address (DNS rebinding). The ``Host``
  header and the TLS SNI/certificate check keep the original host name. Numeric host
  forms such as ``http://2130706433/`` or ``http://0x7f.1/`` are refused without any DNS
  lookup or connection. Only http and https on ports 80 and 443 are allowed (other ports
  only for allow-listed networks).
* **Limits** - connect and read timeouts plus a deadline for the whole fetch; a size cap
  applied to the *decoded* body (a gzip bomb stops at the cap); at most three redirects,
  each hop checked again.
* **Conditional GET** - pass the ``etag``/``last_modified`` of the previous result; a
  ``304`` comes back as a result with ``not_modified=True``.

Settings (read at call time, keyword arguments win, defaults apply without Django):
``FETCH_ALLOWED_PRIVATE_NETWORKS`` (CIDRs or IPs that may be reached although private),
``FETCH_TIMEOUT_SECONDS`` and ``FETCH_MAX_BYTES``.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import re
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

logger = logging.getLogger(__name__)

USER_AGENT = "PRIMA-MediaMonitor/1.0 (public relations media monitoring; Indonesian immigration)"
DEFAULT_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)
MAX_REDIRECTS = 3
DEFAULT_TIMEOUT_SECONDS = 15.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
ALLOWED_SCHEMES = {"http": 80, "https": 443}
# Only the first few addresses of a host are tried, so a host with many dead addresses
# cannot multiply the connect timeout.
MAX_ADDRESSES_TRIED = 3
_CHUNK = 64 * 1024
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Refused even where Python's ``is_global`` would let them through.
_ALWAYS_BLOCKED: tuple[tuple[IPNetwork, str], ...] = tuple(
    (ipaddress.ip_network(net), reason)
    for net, reason in (
        ("0.0.0.0/8", "an unspecified address"),
        ("10.0.0.0/8", "a private network address"),
        ("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
        ("127.0.0.0/8", "a loopback address"),
        ("169.254.0.0/16", "a link-local address"),
        ("172.16.0.0/12", "a private network address"),
        ("192.168.0.0/16", "a private network address"),
        ("224.0.0.0/4", "a multicast address"),
        ("240.0.0.0/4", "a reserved address"),
        ("::/128", "an unspecified address"),
        ("::1/128", "a loopback address"),
        ("fc00::/7", "a unique-local address"),
        ("fe80::/10", "a link-local address"),
        ("ff00::/8", "a multicast address"),
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


# --- results and errors ---------------------------------------------------------------


class FetchError(Exception):
    """A fetch failed. ``str(error)`` is a message that can be shown to staff as is."""

    def __init__(self, message: str, *, url: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.url = url


class InvalidURL(FetchError):
    """The URL is malformed, has credentials, or uses a scheme other than http/https."""


class BlockedAddress(FetchError):
    """The URL leads to an address PRIMA must not contact (internal network, odd port)."""


class TooLarge(FetchError):
    """The response is bigger than the size limit (after decompression)."""


class TooManyRedirects(FetchError):
    """More than the allowed number of redirects, or a redirect loop."""


class HttpError(FetchError):
    """The server answered with an HTTP error status (4xx/5xx or a broken redirect)."""

    def __init__(self, status: int, reason: str = "", *, url: str = "") -> None:
        text = f" ({reason})" if reason else ""
        super().__init__(f"The server answered with HTTP status {status}{text}.", url=url)
        self.status = status


class Timeout(FetchError):
    """The server did not answer in time."""


class ConnectionFailed(FetchError):
    """The host could not be found or reached, or the connection broke."""


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What a fetch returned. ``body`` is decoded (no gzip) and empty for a 304."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str] = field(repr=False)
    body: bytes = field(repr=False)
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


# --- settings ---------------------------------------------------------------------------


def _setting(name: str, default: object) -> object:
    """Read a Django setting if Django is configured; ``default`` otherwise."""
    try:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured
    except ImportError:  # pragma: no cover - Django is a dependency
        return default
    try:
        return getattr(settings, name, default)
    except ImproperlyConfigured:
        return default


def parse_networks(values: Iterable[str | IPNetwork]) -> list[IPNetwork]:
    """Turn CIDRs/IPs (``"10.1.2.0/24"``, ``"127.0.0.1"``) into networks; bad ones are skipped.

    Skipping (with a logged warning) fails closed: a mistyped entry allows nothing.
    """
    networks: list[IPNetwork] = []
    for value in values:
        if isinstance(value, ipaddress.IPv4Network | ipaddress.IPv6Network):
            networks.append(value)
            continue
        try:
            networks.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError:
            logger.warning("FETCH_ALLOWED_PRIVATE_NETWORKS: ignoring invalid entry %r", value)
    return networks


# --- address checks ---------------------------------------------------------------------


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address can carry (mapped, compatible, 6to4, Teredo, NAT64)."""
    found = []
    if ip.ipv4_mapped:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour:
        found.append(ip.sixtofour)
    if ip.teredo:
        found.extend(ip.teredo)
    if ip in _NAT64:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if int(ip) >> 32 == 0 and int(ip) > 1:  # deprecated IPv4-compatible ::a.b.c.d
        found.append(ipaddress.IPv4Address(int(ip)))
    return found


def _blocked_reason(ip: IPAddress) -> str:
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
        return "an address with a zone index"
    for network, reason in _ALWAYS_BLOCKED:
        if ip.version == network.version and ip in network:
            return reason
    if ip.version == 6 and ip in _NAT64_LOCAL:
        return "a local NAT64 address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private or not ip.is_global:
        return "a non-public address"
    return ""


def address_problem(ip: IPAddress, allowed: Iterable[IPNetwork] = ()) -> str:
    """Why PRIMA must not connect to ``ip`` ("" when it may).

    An address inside an allow-listed network is always fine; otherwise the address and
    every IPv4 address embedded in it (``::ffff:127.0.0.1``, 6to4, Teredo, NAT64) must be
    public. Pure computation, no I/O.
    """
    allowed = list(allowed)
    embedded: list[IPAddress] = (
        list(_embedded_ipv4(ip)) if isinstance(ip, ipaddress.IPv6Address) else []
    )
    for candidate in (ip, *embedded):
        if any(candidate.version == net.version and candidate in net for net in allowed):
            return ""
    for candidate in (*embedded, ip):
        reason = _blocked_reason(candidate)
        if reason:
            return reason
    return ""


_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")
_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*$"
)


@dataclass(frozen=True, slots=True)
class _Target:
    url: str
    scheme: str
    host: str  # ASCII host name or IP literal (no brackets): Host header and TLS SNI
    port: int
    request_path: str
    addresses: tuple[tuple[int, tuple], ...]  # (family, sockaddr), checked


def _literal_ip(host: str) -> IPAddress | None:
    """The IP a host string denotes literally, or None for a name. Refuses odd IPv4 forms."""
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host)
        except ValueError:
            raise InvalidURL(f"{host!r} is not a valid IPv6 address.") from None
    labels = host.split(".")
    if all(_NUMERIC_LABEL.match(label) for label in labels):
        # inet_aton would read 2130706433, 0x7f.1, 0177.0.0.1 or 127.1 as 127.0.0.1.
        try:
            ip = ipaddress.IPv4Address(host)
        except ValueError:
            raise BlockedAddress(
                f"The address {host!r} is written in an unusual numeric form and is refused."
            ) from None
        return ip
    return None


def _prepare(
    url: str,
    allowed: list[IPNetwork],
    allowed_ports: frozenset[int] | None,
    resolve: Callable[..., list],
) -> _Target:
    """Check ``url`` and resolve its host once; raise a :class:`FetchError` when refused."""
    if not isinstance(url, str) or not url or len(url) > 8192:
        raise InvalidURL("The URL is empty or too long.", url=str(url)[:200])
    if re.search(r"[\x00-\x20\x7f\\]", url):
        raise InvalidURL("The URL contains spaces, control characters or backslashes.", url=url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise InvalidURL("The URL is not valid (bad host or port).", url=url) from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise InvalidURL("Only http and https addresses can be fetched.", url=url)
    if "@" in parts.netloc:
        raise InvalidURL("Addresses with a user name or password are refused.", url=url)
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise InvalidURL("The URL has no host.", url=url)
    port = port if port is not None else ALLOWED_SCHEMES[scheme]
    try:
        literal = _literal_ip(host)
    except FetchError as exc:
        exc.url = url
        raise
    if literal is None:
        try:
            host = host.encode("idna").decode("ascii").lower()
        except UnicodeError:
            raise InvalidURL("The host name is not valid.", url=url) from None
        if not _HOSTNAME.match(host):
            raise InvalidURL("The host name is not valid.", url=url)
    ports = allowed_ports if allowed_ports is not None else frozenset(ALLOWED_SCHEMES.values())
    if port not in ports and not allowed:
        # Without an allow-list no address could make this port acceptable: refuse early.
        raise BlockedAddress(
            f"Port {port} is not allowed; only the standard web ports 80 and 443 are.", url=url
        )
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")

    if literal is not None:
        infos = [(
            socket.AF_INET6 if literal.version == 6 else socket.AF_INET,
            (str(literal), port, 0, 0) if literal.version == 6 else (str(literal), port),
        )]  # fmt: skip
    else:
        try:
            resolved = resolve(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError, OSError):
            raise ConnectionFailed(f"The host {host!r} could not be found.", url=url) from None
        families = (socket.AF_INET, socket.AF_INET6)
        infos = [(info[0], info[4]) for info in resolved if info[0] in families]
        if not infos:
            raise ConnectionFailed(f"The host {host!r} has no usable address.", url=url)
    addresses: list[tuple[int, tuple]] = []
    for family, sockaddr in infos:
        try:
            ip = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        except ValueError:
            raise BlockedAddress(f"The host {host!r} resolved to an unusable address.") from None
        reason = address_problem(ip, allowed)
        if reason:
            # One bad answer spoils the host: mixing public and internal answers is a trick.
            raise BlockedAddress(
                f"The address {host!r} leads to {reason} ({ip}), which PRIMA may not contact.",
                url=url,
            )
        in_allow_list = any(ip.version == n.version and ip in n for n in allowed)
        if port not in ports and not in_allow_list:
            raise BlockedAddress(
                f"Port {port} is not allowed; only the standard web ports 80 and 443 are.",
                url=url,
            )
        if (family, sockaddr) not in addresses:
            addresses.append((family, sockaddr))
    return _Target(url, scheme, host, port, path, tuple(addresses[:MAX_ADDRESSES_TRIED]))


def address_refusal(url: str, *, allowed_networks: Iterable[str | IPNetwork] | None = None) -> str:
    """Why :func:`fetch` would refuse ``url`` before connecting ("" when it would try).

    The same checks as a fetch (scheme, port, host form, and every address the host
    resolves to), for saving a feed address: an internal address is refused at once
    instead of at the first poll. A host that does not resolve now is not refused (the
    poll reports it; the guard runs again at every fetch). Resolves the host: one DNS
    query.
    """
    if allowed_networks is None:
        allowed_networks = _setting("FETCH_ALLOWED_PRIVATE_NETWORKS", ()) or ()  # type: ignore[assignment]
    networks = parse_networks(allowed_networks)  # type: ignore[arg-type]
    try:
        _prepare(url, networks, None, socket.getaddrinfo)
    except (InvalidURL, BlockedAddress) as exc:
        return str(exc)
    except FetchError:
        return ""
    return ""


# --- connections ------------------------------------------------------------------------


def _open_socket(target: _Target, connect_timeout: float, read_timeout: float) -> socket.socket:
    """Connect to one of the *checked* addresses: no name lookup happens here."""
    last_error: Exception | None = None
    for family, sockaddr in target.addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(connect_timeout)
        try:
            sock.connect(sockaddr)
        except OSError as exc:
            sock.close()
            last_error = exc
            continue
        sock.settimeout(read_timeout)
        return sock
    if isinstance(last_error, TimeoutError):
        raise Timeout(f"Connecting to {target.host} timed out.", url=target.url)
    raise ConnectionFailed(f"Could not connect to {target.host} ({last_error}).", url=target.url)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: _Target, opener: Callable[[], socket.socket]) -> None:
        super().__init__(target.host, target.port)
        self._opener = opener

    def connect(self) -> None:
        self.sock = self._opener()


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(
        self, target: _Target, opener: Callable[[], socket.socket], context: ssl.SSLContext
    ) -> None:
        super().__init__(target.host, target.port, context=context)
        self._opener = opener
        self._tls_context = context

    def connect(self) -> None:
        sock = self._opener()
        try:
            # SNI and certificate checks use the original host name, not the IP.
            self.sock = self._tls_context.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


# --- body decoding ----------------------------------------------------------------------


class _Decoder:
    """gzip/deflate decoding whose *output* is capped (a decompression bomb stops early)."""

    def __init__(self, encoding: str, limit: int, url: str) -> None:
        self.encoding = encoding
        self.limit = limit
        self.url = url
        self.out = bytearray()
        self._started = False
        self._zlib: zlib._Decompress | None = None
        if encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS)

    def _too_large(self) -> TooLarge:
        return TooLarge(
            f"The response is larger than the limit of {self.limit:,} bytes once "
            "decompressed; it was not downloaded completely.",
            url=self.url,
        )

    def feed(self, chunk: bytes) -> None:
        if self._zlib is None:
            self.out += chunk
            if len(self.out) > self.limit:
                raise self._too_large()
            return
        data = chunk
        while data:
            try:
                piece = self._zlib.decompress(data, self.limit - len(self.out) + 1)
            except zlib.error:
                if self.encoding == "deflate" and not self._started:
                    # Some servers send raw deflate without the zlib header.
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._started = True
                    continue
                raise FetchError(
                    "The server sent damaged compressed content.", url=self.url
                ) from None
            self._started = True
            self.out += piece
            if len(self.out) > self.limit:
                raise self._too_large()
            data = self._zlib.unconsumed_tail
            if self._zlib.eof and self._zlib.unused_data and not data:
                # Concatenated gzip members are legal; decode the next one.
                data = self._zlib.unused_data
                self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def finish(self) -> bytes:
        if self._zlib is not None:
            try:
                self.out += self._zlib.flush()
            except zlib.error:
                raise FetchError(
                    "The server sent damaged compressed content.", url=self.url
                ) from None
            if len(self.out) > self.limit:
                raise self._too_large()
        return bytes(self.out)


# --- the fetch ------------------------------------------------------------------------


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str = DEFAULT_ACCEPT,
    timeout: float | None = None,
    total_timeout: float | None = None,
    max_bytes: int | None = None,
    allowed_networks: Iterable[str | IPNetwork] | None = None,
    allowed_ports: Iterable[int] | None = None,
    max_redirects: int = MAX_REDIRECTS,
    ssl_context: ssl.SSLContext | None = None,
) -> FetchResult:
    """GET ``url`` safely and return its (decoded) body; raise a :class:`FetchError`.

    Blocking network I/O: up to ``timeout`` seconds to connect and per read (setting
    ``FETCH_TIMEOUT_SECONDS``, 15 s), and ``total_timeout`` (4 × ``timeout``) for the whole
    fetch including redirects. The body is held in memory, at most ``max_bytes`` after
    decompression (``FETCH_MAX_BYTES``, 10 MiB). ``allowed_networks`` (default
    ``FETCH_ALLOWED_PRIVATE_NETWORKS``) lists internal networks that may be contacted, on
    any port. Pass the ``etag``/``last_modified`` of the last result for a conditional GET.
    """
    if timeout is None:
        timeout = float(_setting("FETCH_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))  # type: ignore[arg-type]
    if max_bytes is None:
        max_bytes = int(_setting("FETCH_MAX_BYTES", DEFAULT_MAX_BYTES))  # type: ignore[call-overload]
    if allowed_networks is None:
        allowed_networks = _setting("FETCH_ALLOWED_PRIVATE_NETWORKS", ()) or ()  # type: ignore[assignment]
    networks = parse_networks(allowed_networks)  # type: ignore[arg-type]
    ports = frozenset(allowed_ports) if allowed_ports is not None else None
    deadline = time.monotonic() + (total_timeout if total_timeout is not None else 4 * timeout)
    context = ssl_context or ssl.create_default_context()

    current = url
    visited: list[str] = []
    while True:
        target = _prepare(current, networks, ports, socket.getaddrinfo)
        visited.append(current)
        status, reason, headers, location, body = _request_once(
            target, etag, last_modified, accept, timeout, deadline, max_bytes, context
        )
        if status in _REDIRECT_STATUSES:
            if not location:
                raise HttpError(status, "redirect without a Location header", url=current)
            following = urljoin(current, location.strip())
            if following in visited:
                raise TooManyRedirects(
                    "The address redirects in a loop and could not be fetched.", url=url
                )
            if len(visited) > max_redirects:
                raise TooManyRedirects(
                    f"The address redirected more than {max_redirects} times.", url=url
                )
            current = following
            continue
        if status == 304:
            return FetchResult(
                url=url,
                final_url=current,
                status=status,
                headers=headers,
                body=b"",
                etag=headers.get("etag", etag or ""),
                last_modified=headers.get("last-modified", last_modified or ""),
                not_modified=True,
            )
        if status >= 400 or status < 200 or status >= 300:
            raise HttpError(status, reason, url=current)
        return FetchResult(
            url=url,
            final_url=current,
            status=status,
            headers=headers,
            body=body,
            etag=headers.get("etag", ""),
            last_modified=headers.get("last-modified", ""),
        )


def _request_once(
    target: _Target,
    etag: str | None,
    last_modified: str | None,
    accept: str,
    timeout: float,
    deadline: float,
    max_bytes: int,
    context: ssl.SSLContext,
) -> tuple[int, str, dict[str, str], str, bytes]:
    """One request/response; returns ``(status, reason, headers, location, body)``."""

    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise Timeout(f"Fetching {target.url} took too long.", url=target.url)
        return left

    def opener() -> socket.socket:
        wait = min(timeout, remaining())
        return _open_socket(target, wait, wait)

    conn: http.client.HTTPConnection
    if target.scheme == "https":
        conn = _PinnedHTTPSConnection(target, opener, context)
    else:
        conn = _PinnedHTTPConnection(target, opener)
    request_headers = {
        "User-Agent": USER_AGENT,
        "Accept": accept,
        "Accept-Encoding": "gzip, deflate",
        "Accept-Language": "id, en;q=0.8",
        "Connection": "close",
    }
    if etag:
        request_headers["If-None-Match"] = etag
    if last_modified:
        request_headers["If-Modified-Since"] = last_modified
    try:
        conn.request("GET", target.request_path, headers=request_headers)
        response = conn.getresponse()
        headers: dict[str, str] = {}
        for name, value in response.getheaders():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        status = response.status
        if status in _REDIRECT_STATUSES or status == 304 or status >= 400:
            return status, response.reason, headers, headers.get("location", ""), b""
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise TooLarge(
                f"The response is {int(declared):,} bytes, over the limit of {max_bytes:,}.",
                url=target.url,
            )
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("identity", "", "gzip", "x-gzip", "deflate"):
            raise FetchError(
                f"The server sent content encoded as {encoding!r}, which is not supported.",
                url=target.url,
            )
        decoder = _Decoder(encoding, max_bytes, target.url)
        received = 0
        while True:
            if conn.sock is not None:
                conn.sock.settimeout(min(timeout, remaining()))
            chunk = response.read1(_CHUNK)
            if not chunk:
                break
            received += len(chunk)
            if received > max_bytes:
                raise TooLarge(
                    f"The response is larger than the limit of {max_bytes:,} bytes.",
                    url=target.url,
                )
            decoder.feed(chunk)
            remaining()
        if declared.isdigit() and received < int(declared):
            raise ConnectionFailed(
                f"The server {target.host} closed the connection before sending the whole "
                f"response ({received:,} of {int(declared):,} bytes).",
                url=target.url,
            )
        return status, response.reason, headers, "", decoder.finish()
    except FetchError:
        raise
    except TimeoutError:
        raise Timeout(f"The server {target.host} did not answer in time.", url=target.url) from None
    except ssl.SSLCertVerificationError as exc:
        raise ConnectionFailed(
            f"The secure connection to {target.host} failed: the certificate is not valid "
            f"({exc.verify_message}).",
            url=target.url,
        ) from None
    except ssl.SSLError as exc:
        raise ConnectionFailed(
            f"The secure connection to {target.host} failed ({exc.reason}).", url=target.url
        ) from None
    except http.client.HTTPException as exc:
        raise ConnectionFailed(
            f"The server {target.host} sent an invalid or incomplete response "
            f"({type(exc).__name__}).",
            url=target.url,
        ) from None
    except OSError as exc:
        raise ConnectionFailed(
            f"The connection to {target.host} failed ({exc.strerror or exc}).", url=target.url
        ) from None
    finally:
        conn.close()


# --- posting ----------------------------------------------------------------------------

MAX_POST_BYTES = 64 * 1024
MAX_POST_RESPONSE_BYTES = 64 * 1024


def post_json(
    url: str,
    body: bytes,
    *,
    headers: dict[str, str] | None = None,
    timeout: float | None = None,
    allowed_networks: Iterable[str | IPNetwork] | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> int:
    """POST a JSON ``body`` to ``url`` (a chat webhook) with the same SSRF guard as
    :func:`fetch`; return the HTTP status, raise a :class:`FetchError` for a refused
    address, a network failure or a status outside 2xx.

    Redirects are not followed (a webhook that redirects is misconfigured); the body is at
    most 64 KiB; the response is read up to 64 KiB and discarded. Blocking: up to
    ``timeout`` seconds (``FETCH_TIMEOUT_SECONDS``) to connect and to read.
    """
    if len(body) > MAX_POST_BYTES:
        raise TooLarge(f"The message is larger than {MAX_POST_BYTES:,} bytes.", url=url)
    if timeout is None:
        timeout = float(_setting("FETCH_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))  # type: ignore[arg-type]
    if allowed_networks is None:
        allowed_networks = _setting("FETCH_ALLOWED_PRIVATE_NETWORKS", ()) or ()  # type: ignore[assignment]
    target = _prepare(url, parse_networks(allowed_networks), None, socket.getaddrinfo)  # type: ignore[arg-type]
    context = ssl_context or ssl.create_default_context()

    def opener() -> socket.socket:
        return _open_socket(target, timeout, timeout)

    conn: http.client.HTTPConnection
    if target.scheme == "https":
        conn = _PinnedHTTPSConnection(target, opener, context)
    else:
        conn = _PinnedHTTPConnection(target, opener)
    request_headers = {
        "User-Agent": USER_AGENT,
        "Content-Type": "application/json; charset=utf-8",
        "Accept": "*/*",
        "Connection": "close",
        **(headers or {}),
    }
    try:
        conn.request("POST", target.request_path, body=body, headers=request_headers)
        response = conn.getresponse()
        response.read(MAX_POST_RESPONSE_BYTES)
        status = response.status
    except TimeoutError:
        raise Timeout(f"The server {target.host} did not answer in time.", url=url) from None
    except (ssl.SSLError, http.client.HTTPException, OSError) as exc:
        raise ConnectionFailed(
            f"Sending to {target.host} failed ({type(exc).__name__}).", url=url
        ) from None
    finally:
        conn.close()
    if not 200 <= status < 300:
        raise HttpError(status, "the webhook refused the message", url=url)
    return status
