"""The address people in the room type or scan: this computer's address on its network."""

from __future__ import annotations

import ipaddress
import socket

DEFAULT_PORT = 8870


def _usable(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.version == 4 and not (ip.is_loopback or ip.is_link_local or ip.is_unspecified)


def network_address() -> str | None:
    """This computer's IPv4 address on the network it reaches others through, or None when it
    is on no network. Asking which address a UDP socket would use sends nothing."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 9))
            address = probe.getsockname()[0]
            if _usable(address):
                return address
        except OSError:
            pass
    try:
        found = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return None
    return next((info[4][0] for info in found if _usable(info[4][0])), None)


def room_url(host: str, port: int) -> str:
    return f"http://{host}:{port}/"


def address_qr(url: str) -> str:
    """`url` as a QR code, an SVG data address for an <img>: made here, nothing fetched."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=8, border=2)
