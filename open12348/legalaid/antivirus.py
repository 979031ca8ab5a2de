"""ClamAV's daemon as the upload scanner (`MATERIAL_SCANNER = "open12348.legalaid.antivirus.clamd_scan"`).

Every uploaded file (case materials, portal uploads, video attachments, education media) passes
through `materials.scan_upload` before it is stored; this is the scanner a site plugs in when it runs
clamd. The bytes are streamed with clamd's INSTREAM command over TCP (`CLAMD_ADDRESS = "host:port"`)
or a Unix socket (`CLAMD_ADDRESS = "/run/clamav/clamd.ctl"`):

    "zINSTREAM\\0", then chunks each prefixed with its length (4 bytes, network order), then a
    zero-length chunk; clamd answers "stream: OK\\0" or "stream: <signature> FOUND\\0".

A finding raises `MaterialRejected` (the upload is refused as infected); anything else that goes
wrong (daemon down, a timeout, an answer clamd's protocol does not have, the stream over clamd's
StreamMaxLength) raises `ScannerUnavailable`, which `scan_upload` turns into "could not be checked"
so that no unscanned file is let in. The protocol is a dozen lines, so it is spoken here rather than
through one of the unmaintained clamd client packages.
"""

from __future__ import annotations

import socket
import struct

from django.conf import settings

from .materials import MaterialRejected

CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """clamd could not give a verdict."""


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(address)
        return sock
    host, _, port = address.rpartition(":")
    return socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout)


def clamd_verdict(data: bytes, *, address: str, timeout: float = 30.0) -> str:
    """clamd's answer for `data`, e.g. "stream: OK"."""
    try:
        with _connect(address, timeout) as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                chunk = data[start:start + CHUNK]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                received = sock.recv(4096)
                if not received:
                    break
                answer += received
    except OSError as exc:
        raise ScannerUnavailable(f"clamd at {address}: {exc}") from exc
    return answer.rstrip(b"\0").decode("utf-8", "replace").strip()


def clamd_scan(data: bytes) -> None:
    """The MATERIAL_SCANNER callable: raises MaterialRejected on a finding, ScannerUnavailable otherwise."""
    address = getattr(settings, "CLAMD_ADDRESS", "")
    if not address:
        raise ScannerUnavailable("CLAMD_ADDRESS is not set")
    verdict = clamd_verdict(data, address=address, timeout=float(getattr(settings, "CLAMD_TIMEOUT_SECONDS", 30)))
    if verdict.endswith(" FOUND"):
        raise MaterialRejected(verdict.removeprefix("stream:").removesuffix("FOUND").strip())
    if verdict != "stream: OK":
        raise ScannerUnavailable(f"clamd answered {verdict!r}")
