"""The client's address, as every rate limit and the readiness probe see it.

A client can write anything into ``X-Forwarded-For``; only our own proxies can be believed. So
the address is the socket peer, unless that peer is one of ``settings.TRUSTED_PROXIES``
(addresses or CIDR networks): then it is the right-most ``X-Forwarded-For`` entry that is not a
trusted proxy itself, i.e. the last hop a trusted proxy saw. Entries further left were written
by the client and are never read. With ``TRUSTED_PROXIES`` empty (the default) the header is
ignored altogether. The servers (uvicorn in the Dockerfile and scripts/run.sh) run with
``--no-proxy-headers``, so the peer they report is the real one.
"""

import functools
import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@functools.lru_cache(maxsize=8)
def parse_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """``TRUSTED_PROXIES`` as networks; a single address is a network of one."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {entry!r} is neither an IP address nor a CIDR network."
            ) from error
    return tuple(networks)


def parse_address(text: str) -> Address | None:
    """An address as proxies write it: ``1.2.3.4``, ``1.2.3.4:5678``, ``2001:db8::1`` or
    ``[2001:db8::1]:5678``; None for anything else."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _in(address: Address | None, networks: Iterable[Network]) -> bool:
    return address is not None and any(address in network for network in networks)


def trusted_proxies() -> tuple[Network, ...]:
    return parse_networks(tuple(settings.TRUSTED_PROXIES))


def client_ip(request) -> str:
    """The client's address: the socket peer, or behind trusted proxies the right-most
    ``X-Forwarded-For`` entry that is not one of them (see the module's docstring)."""
    peer_text = request.META.get("REMOTE_ADDR", "")
    peer = parse_address(peer_text)
    proxies = trusted_proxies()
    if not _in(peer, proxies):
        return str(peer) if peer is not None else peer_text
    nearest = peer
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop = parse_address(entry)
        if hop is None:
            # Not an address (empty, "unknown", garbage): nobody we trust wrote it, so the
            # last hop we can vouch for is the client as far as we know.
            break
        nearest = hop
        if not _in(hop, proxies):
            break
    return str(nearest)


def is_trusted_address(request) -> bool:
    """The request comes from this machine or from one of our proxies itself (a load
    balancer's or the container's health check), not through them from outside. A request
    another proxy forwarded (one not in ``TRUSTED_PROXIES``, say nginx on this machine before
    it is configured) is not trusted either: its real client is unknown."""
    address = parse_address(client_ip(request))
    if address is None or not (address.is_loopback or _in(address, trusted_proxies())):
        return False
    forwarded_by_stranger = not _in(parse_address(request.META.get("REMOTE_ADDR", "")), trusted_proxies())
    return not (forwarded_by_stranger and request.META.get("HTTP_X_FORWARDED_FOR"))


def from_trusted_proxy(request) -> bool:
    """The socket peer is one of ``TRUSTED_PROXIES``."""
    return _in(parse_address(request.META.get("REMOTE_ADDR", "")), trusted_proxies())


class ForwardedProtoMiddleware:
    """First in ``MIDDLEWARE``: ``X-Forwarded-Proto`` (what ``SECURE_PROXY_SSL_HEADER`` reads to
    call a request HTTPS) counts only when a trusted proxy sent the request; from anyone else it
    is dropped, so a client cannot make a plain-HTTP request look secure."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if "HTTP_X_FORWARDED_PROTO" in request.META and not from_trusted_proxy(request):
            del request.META["HTTP_X_FORWARDED_PROTO"]
        return self.get_response(request)
