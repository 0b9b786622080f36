"""Where a webhook may go: https to public addresses only (the SSRF guard)."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """The URL may not be called: wrong scheme, no such host, or a non-public address."""


class HostUnresolved(AddressRefused):
    """The URL's host has no address (now)."""


def address_is_public(ip: IPAddress) -> bool:
    """False for loopback, private, link-local, shared, reserved, multicast, unspecified."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def url_parts(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL the guard accepts the shape of; AddressRefused if not."""
    parts = urlsplit(url)
    allowed = ("https", "http") if settings.WEBHOOKS_ALLOW_PRIVATE else ("https",)
    if parts.scheme not in allowed:
        raise AddressRefused("Webhook URLs must use https.")
    if not parts.hostname:
        raise AddressRefused("The URL has no host.")
    if parts.username or parts.password:
        raise AddressRefused("The URL may not carry a user name or password.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise AddressRefused("The URL's port is not valid.") from exc
    return parts.scheme, parts.hostname, port


def addresses_of(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (IPv4 and IPv6), in resolver order."""
    if host.rstrip(".").lower().endswith(".invalid"):
        # RFC 6761: such names never resolve; no need to ask (the demo endpoint uses one).
        raise HostUnresolved(f"The host {host} does not resolve.")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise HostUnresolved(f"The host {host} does not resolve.") from exc
    found: list[IPAddress] = []
    for *_, sockaddr in infos:
        ip = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if ip not in found:
            found.append(ip)
    return found


def addresses_allowed(host: str, port: int) -> list[IPAddress]:
    """The addresses of `host`, all public (or any, with WEBHOOKS_ALLOW_PRIVATE).

    One non-public answer refuses the whole host: a name that also points inside the
    network is not one to send to, whichever address a connection would pick.
    """
    found = addresses_of(host, port)
    if not settings.WEBHOOKS_ALLOW_PRIVATE:
        refused = [str(ip) for ip in found if not address_is_public(ip)]
        if refused:
            raise AddressRefused(
                f"The host {host} resolves to a loopback, private, link-local or reserved "
                f"address ({', '.join(refused)})."
            )
    return found


def webhook_url_check(url: str) -> None:
    """Refuse (ValidationError on `url`) a URL a webhook may not be sent to, as it resolves now.

    A name that does not resolve yet is accepted here; sending checks it again.
    """
    try:
        _scheme, host, port = url_parts(url)
        addresses_allowed(host, port)
    except HostUnresolved:
        return
    except AddressRefused as exc:
        raise ValidationError({"url": [str(exc)]}) from exc
