"""The ClamAV scanner speaks clamd's INSTREAM protocol to a daemon; here a stand-in daemon on a local
socket answers like clamd (framing checked byte for byte), so the verdicts reach the upload path."""

from __future__ import annotations

import socket
import struct
import threading

import pytest

from open12348.core.errors import ApplicationError
from open12348.legalaid import antivirus
from open12348.legalaid.materials import MaterialRejected, scan_upload

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class FakeClamd:
    """Accepts one INSTREAM per connection, reassembles the chunks and answers like clamd."""

    def __init__(self, answer_for=None) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self.server.getsockname()[1]}"
        self.received: list[bytes] = []
        self.answer_for = answer_for or (lambda data: b"stream: Eicar-Test-Signature FOUND\0" if EICAR in data
                                         else b"stream: OK\0")
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def read_exactly(self, conn, n: int) -> bytes:
        buf = b""
        while len(buf) < n:
            part = conn.recv(n - len(buf))
            if not part:
                raise ConnectionError("short read")
            buf += part
        return buf

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                assert self.read_exactly(conn, 10) == b"zINSTREAM\0"
                data = b""
                while True:
                    (length,) = struct.unpack("!L", self.read_exactly(conn, 4))
                    if length == 0:
                        break
                    data += self.read_exactly(conn, length)
                self.received.append(data)
                conn.sendall(self.answer_for(data))

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def clamd(settings):
    daemon = FakeClamd()
    settings.CLAMD_ADDRESS = daemon.address
    settings.MATERIAL_SCANNER = "open12348.legalaid.antivirus.clamd_scan"
    yield daemon
    daemon.close()


def test_a_clean_file_passes_and_clamd_received_every_byte_in_chunks(clamd):
    data = bytes(range(256)) * 1000  # 256 kB: several 64 kB chunks
    scan_upload(data)
    assert clamd.received == [data]


def test_the_eicar_test_file_is_rejected_as_infected(clamd):
    with pytest.raises(MaterialRejected, match="Eicar-Test-Signature"):
        antivirus.clamd_scan(b"prefix " + EICAR)
    with pytest.raises(ApplicationError) as exc:
        scan_upload(EICAR)
    assert (exc.value.field, exc.value.code) == ("file", "file_infected")


def test_a_daemon_that_is_down_refuses_the_file_as_unscanned(settings):
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]
    settings.CLAMD_ADDRESS = f"127.0.0.1:{port}"
    settings.MATERIAL_SCANNER = "open12348.legalaid.antivirus.clamd_scan"
    with pytest.raises(ApplicationError) as exc:
        scan_upload(b"%PDF-1.4 harmless")
    assert (exc.value.code, exc.value.status) == ("scan_failed", 503)


def test_an_answer_clamd_does_not_give_is_not_taken_as_clean(settings):
    daemon = FakeClamd(answer_for=lambda data: b"INSTREAM size limit exceeded. ERROR\0")
    settings.CLAMD_ADDRESS = daemon.address
    try:
        with pytest.raises(antivirus.ScannerUnavailable):
            antivirus.clamd_scan(b"data")
    finally:
        daemon.close()
