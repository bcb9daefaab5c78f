"""Clients that hold a server's connections without finishing their requests.

For the slow-client test and `make bench`: each kind opens real sockets to a
server on this machine and keeps them open until the ``with`` block ends.

- **half-open**: the request line and ``Host`` sent, never the blank line that ends
  the headers (what slowloris does, one header at a time).
- **slow body**: a POST announcing a body it sends a few bytes of at a time.
- **non-reader**: a complete GET for a page whose reply it never reads.
"""

import socket
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


class Held:
    """Sockets kept open, with a thread that trickles a byte into each now and then, as slowloris
    does, so that a server counting idle time between bytes does not close them for that alone."""

    def __init__(self, sockets: list[socket.socket], trickle: bytes, every: float) -> None:
        self.sockets, self._trickle, self._every = sockets, trickle, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            for sock in self.sockets:
                with suppress(OSError):  # the server closed it: that is a defence, not a failure
                    sock.send(self._trickle)

    def __enter__(self) -> "Held":
        if self._trickle:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        for sock in self.sockets:
            sock.close()


def half_open(port: int, count: int, *, path: str = "/") -> Held:
    sockets = []
    for _ in range(count):
        sock = _connect(port)
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode())
        sockets.append(sock)
    return Held(sockets, b"X-a: b\r\n", every=2.0)


# A valid-looking CSRF pair gets past the CSRF check, so the view waits for the body.
CSRF = "a" * 32


def slow_bodies(port: int, count: int, *, path: str = "/accounts/login/", length: int = 100_000) -> Held:
    sockets = []
    for _ in range(count):
        sock = _connect(port)
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: csrftoken={CSRF}\r\nX-CSRFToken: {CSRF}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n\r\nx="
        )
        sock.sendall(head.encode())
        sockets.append(sock)
    return Held(sockets, b"x", every=2.0)


def non_readers(port: int, count: int, *, path: str = "/", cookie: str = "") -> Held:
    sockets = []
    for _ in range(count):
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)  # a reader that takes almost nothing
        sock.settimeout(5)
        sock.connect(("127.0.0.1", port))
        headers = f"Cookie: {cookie}\r\n" if cookie else ""
        # Pipelined requests: one reply would fit the kernel's buffers, twenty do not.
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n".encode() * 20)
        sockets.append(sock)
    return Held(sockets, b"", every=0)


@contextmanager
def hostile_clients(
    port: int, *, half_open_count: int = 0, slow_body_count: int = 0, non_reader_count: int = 0, **options
) -> Iterator[None]:
    """Hold every kind asked for at once until the block ends."""
    with ExitStack() as stack:
        if half_open_count:
            stack.enter_context(half_open(port, half_open_count))
        if slow_body_count:
            stack.enter_context(slow_bodies(port, slow_body_count))
        if non_reader_count:
            stack.enter_context(non_readers(port, non_reader_count, **options))
        yield
