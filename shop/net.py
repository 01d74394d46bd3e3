"""The client's network address, read one way everywhere.

Behind a reverse proxy, REMOTE_ADDR is the proxy and the client is in X-Forwarded-For; but
anyone can send that header, so it is believed only as far as TRUSTED_PROXIES vouches for it:

    REMOTE_ADDR not a trusted proxy     ->  REMOTE_ADDR (the header is ignored)
    REMOTE_ADDR a trusted proxy         ->  walk X-Forwarded-For from the right (the hop the
                                            proxy appended) and take the first address that
                                            is not itself a trusted proxy

So a spoofed header can neither hide a client behind made-up addresses (escaping throttles
and lock-outs) nor make a client look like someone else (locking another customer out).
API throttling (shop.throttling), sign-in lock-outs (django-axes, AXES_CLIENT_IP_CALLABLE)
and the proxy-header guard (shop.middleware.TrustedProxyMiddleware) all call client_ip().
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# More hops than any real proxy chain: a longer header is not walked further.
MAX_FORWARDED_HOPS = 20


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in proxies:
        entry = entry.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {entry!r} is not an IP address or network ({error})."
            ) from None
    return tuple(networks)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))


def parse_address(value: str | None) -> Address | None:
    """An IP address from a header or REMOTE_ADDR ("1.2.3.4", "1.2.3.4:5678", "[::1]:80");
    None for anything else. IPv4-mapped IPv6 addresses come back as IPv4."""
    if not value:
        return None
    text = value.strip()
    if text.startswith("["):  # [IPv6]:port
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # IPv4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted_proxy(address: Address | None) -> bool:
    return address is not None and any(address in network for network in trusted_networks())


def client_address(request) -> Address | None:
    remote = parse_address(request.META.get("REMOTE_ADDR"))
    if not is_trusted_proxy(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in forwarded.split(",") if hop.strip()][-MAX_FORWARDED_HOPS:]
    client = remote
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            # Not an address: keep the last one a trusted proxy vouched for.
            break
        client = address
        if not is_trusted_proxy(address):
            break
    return client


def client_ip(request) -> str:
    """The client's IP address as a string ("" when the request has none)."""
    address = client_address(request)
    return str(address) if address is not None else ""
