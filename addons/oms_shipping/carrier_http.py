"""Outbound HTTP to carriers: https to public addresses only, connected to the very address
that was checked (a DNS answer that changes between the check and the connection cannot
redirect it), no redirects followed, a bounded time and a bounded answer size.

Pure Python, no Odoo model: ``delivery.carrier`` turns the :class:`CarrierHTTPError` reasons
into translated messages. Tests replace :func:`resolve` (the DNS lookup) and the transport
(:class:`PublicHTTPSAdapter`)."""

import ipaddress
import json
import socket
from time import monotonic
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPSConnectionPool

MAX_TIMEOUT = 30  # seconds: the longest request timeout a carrier may be given
MAX_RESPONSE_BYTES = 1024 * 1024  # an answer larger than this is refused
CHUNK_BYTES = 8 * 1024  # the answer is read in pieces; size and time are checked between them

# Not private by Python's tables, but serving a cloud's instance metadata or host agent:
# IETF protocol assignments (Oracle Cloud's metadata is 192.0.0.192), Azure's WireServer.
METADATA_NETWORKS = (
    ipaddress.ip_network("192.0.0.0/24"),
    ipaddress.ip_network("168.63.129.16/32"),
)
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")
LOCAL_NAMES = ("localhost", "localhost.localdomain")
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")


class CarrierHTTPError(ValueError):
    """A carrier URL or answer that is refused. ``reason`` is one of ``scheme``, ``host``,
    ``placeholder``, ``address``, ``resolve``, ``redirect``, ``status``, ``size``, ``time``,
    ``json``; ``detail`` what was found (never the URL itself, which may hold a key)."""

    def __init__(self, reason, detail=""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def is_public_address(address):
    """Whether ``address`` (text or ip_address) is a public unicast address: not loopback,
    private, link-local, unique-local, shared (CGNAT), multicast, reserved, unspecified or
    a cloud metadata address, nor an IPv6 form of one (IPv4-mapped, NAT64, 6to4, Teredo)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0] if isinstance(address, str) else address)
    if ip.version == 6:
        embedded = [ip.ipv4_mapped, ip.sixtofour, ip.teredo[1] if ip.teredo else None]
        if ip in NAT64_PREFIX:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if any(inner is not None and not is_public_address(inner) for inner in embedded):
            return False
    return bool(
        ip.is_global
        and not (ip.is_multicast or ip.is_reserved or ip.is_link_local or ip.is_loopback)
        and not ip.is_unspecified
        and not any(ip in network for network in METADATA_NETWORKS if ip.version == 4)
    )


def resolve(host, port):
    """The IP addresses ``host`` resolves to (the DNS lookup; tests replace it)."""
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def public_addresses(host, port):
    """The addresses of ``host``, all of them public; CarrierHTTPError otherwise (one private
    answer among public ones is refused too)."""
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = None
    try:
        addresses = addresses or resolve(host, port)
    except (OSError, UnicodeError) as error:
        raise CarrierHTTPError("resolve", host) from error
    if not addresses:
        raise CarrierHTTPError("resolve", host)
    for address in addresses:
        try:
            public = is_public_address(address)
        except ValueError:
            public = False
        if not public:
            raise CarrierHTTPError("address", f"{host} -> {address}")
    return addresses


def check_url(url):
    """The (host, port) of an https URL whose host is a name or a public IP address;
    CarrierHTTPError otherwise. Names are resolved at each request (:func:`public_addresses`)."""
    if not isinstance(url, str) or any(ord(char) <= 32 or ord(char) == 127 for char in url):
        raise CarrierHTTPError("scheme")
    try:
        parts = urlsplit(url)
        port = parts.port or 443
    except ValueError as error:
        raise CarrierHTTPError("host") from error
    if parts.scheme != "https":
        raise CarrierHTTPError("scheme", parts.scheme)
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise CarrierHTTPError("host")
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        if not is_public_address(literal):
            raise CarrierHTTPError("address", host)
    elif host in LOCAL_NAMES or host.endswith(LOCAL_SUFFIXES) or "." not in host:
        raise CarrierHTTPError("host", host)
    return host, port


class _PublicHTTPSConnection(HTTPSConnection):
    """Resolves its host itself, refuses any non-public answer and connects to the address
    it checked; TLS still verifies the certificate against the host name."""

    def _new_conn(self):
        host = self._dns_host
        address = public_addresses(host, self.port)[0]
        self._dns_host = address
        try:
            return super()._new_conn()
        finally:
            self._dns_host = host


class _PublicHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _PublicHTTPSConnection


class PublicHTTPSAdapter(HTTPAdapter):
    """A requests transport for https only, through :class:`_PublicHTTPSConnection`."""

    def init_poolmanager(self, *args, **kwargs):
        result = super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"https": _PublicHTTPSConnectionPool}
        return result


def get_json(url, timeout, max_bytes=MAX_RESPONSE_BYTES, headers=None):
    """GET ``url`` and decode its JSON answer, within ``timeout`` seconds (each network wait,
    and the whole answer, checked between pieces) and ``max_bytes``. A redirect is an error,
    neither followed nor read. Raises CarrierHTTPError, or requests' errors for the network.

    The transport is used directly (no ``requests.Session``): no proxy or netrc from the
    environment, which would hide the carrier's address from the check, and no redirect
    handling, which reads a redirect's whole body."""
    status, payload = _send_json("GET", url, timeout, max_bytes, headers)
    if status >= 400:
        raise CarrierHTTPError("status", str(status))
    return payload


def post_json(url, data, timeout, max_bytes=MAX_RESPONSE_BYTES, headers=None):
    """POST ``data`` as JSON to ``url`` under the rules of :func:`get_json`; returns
    ``(HTTP status, decoded answer or None)``: a tracking service answers its own errors
    (e.g. "already registered") in a 4xx JSON body, which the caller reads."""
    body = json.dumps(data).encode()
    headers = {"Content-Type": "application/json", **(headers or {})}
    return _send_json("POST", url, timeout, max_bytes, headers, body=body)


def _send_json(method, url, timeout, max_bytes, headers, *, body=None):
    host, port = check_url(url)
    public_addresses(host, port)  # refused before connecting; checked again at connection
    timeout = max(1, min(timeout or MAX_TIMEOUT, MAX_TIMEOUT))
    deadline = monotonic() + timeout
    request = requests.Request(
        method,
        url,
        data=body,
        headers={"Accept": "application/json", "Accept-Encoding": "identity", **(headers or {})},
    ).prepare()
    adapter = PublicHTTPSAdapter(max_retries=0)
    try:
        with adapter.send(request, stream=True, timeout=(timeout, timeout)) as response:
            if response.is_redirect or 300 <= response.status_code < 400:
                raise CarrierHTTPError("redirect", str(response.status_code))
            status = response.status_code
            if method == "GET" and status >= 400:
                return status, None
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise CarrierHTTPError("size", str(max_bytes))
            answer = bytearray()
            for chunk in response.iter_content(CHUNK_BYTES):
                answer += chunk
                if len(answer) > max_bytes:
                    raise CarrierHTTPError("size", str(max_bytes))
                if monotonic() > deadline:
                    raise CarrierHTTPError("time", str(timeout))
    finally:
        adapter.close()
    try:
        return status, json.loads(bytes(answer))
    except (ValueError, UnicodeDecodeError) as error:
        if method != "GET" and status >= 400:
            return status, None
        raise CarrierHTTPError("json") from error
