"""A browser stand-in for `backprop-tutor serve`: start the server, then talk to it as textual.js does.

The page's script opens `/ws?width=W&height=H`, sends ["stdin", text] for keys and ["resize", {...}],
and draws the binary frames it receives in xterm.js; here pyte draws them, so a test can read the
screen a learner would see.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import aiohttp
import pyte

SERVE_START_TIMEOUT = 60.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: Sessions a test's server keeps prepared, unless the test asks otherwise: a few, so that the pool is
#: used and refilled without thirty sessions being prepared for every server a test starts.
TEST_READY = 2
PREPARED = "sessions are prepared for arriving browsers"


class Served:
    """A running `backprop-tutor serve` process (a context manager that stops it with SIGINT, as Ctrl+C does).

    `ready` is passed as `--ready` (None: serve's own default)."""

    def __init__(self, data_dir: Path, port: int | None = None, extra: tuple[str, ...] = (),
                 ready: int | None = TEST_READY):
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env.pop("BACKPROP_TUTOR_DATA_DIR", None)
        pool = ("--ready", str(ready)) if ready is not None else ()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tutor", "serve", "--port", str(self.port), "--data-dir", str(self.data_dir),
             *pool, *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
        self.banner: list[str] = []
        deadline = time.monotonic() + SERVE_START_TIMEOUT
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError(f"serve exited early: {self.proc.wait()} {self.proc.stderr.read()}")
            self.banner.append(line.rstrip("\n"))
            if "Press Ctrl+C to stop" in line:
                return
        raise RuntimeError(f"serve did not start: {self.banner}")

    def wait_until_prepared(self, timeout: float = 120.0) -> str:
        """Wait for serve's line saying its pool of prepared sessions is full; that line."""
        found: list[str] = []

        def read() -> None:
            while line := self.proc.stdout.readline():
                self.banner.append(line.rstrip("\n"))
                if PREPARED in line:
                    found.append(line.rstrip("\n"))
                    return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(timeout)
        if not found:
            raise TimeoutError(f"serve did not say its sessions were prepared: {self.banner}")
        return found[0]

    def stop(self, timeout: float = 30.0) -> tuple[int, str, str]:
        """Send SIGINT (Ctrl+C) and wait; (exit status, rest of stdout, stderr)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            out, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            out, err = self.proc.communicate()
            raise
        return self.proc.returncode, out, err

    def __enter__(self) -> "Served":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.stop()


def descendants(pid: int) -> list[int]:
    """Every process below pid (children, grandchildren, ...), from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def process_name(pid: int) -> str:
    """A process's name as ps shows it (serve names its prepared sessions tutor-ready, the others
    tutor-session); "" when it has gone."""
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""


class BrowserSession:
    """One websocket connection to serve, with a pyte screen of what the browser would show."""

    def __init__(self, url: str, width: int = 80, height: int = 24, *, render: bool = True):
        self.ws_url = url.replace("http://", "ws://") + f"/ws?width={width}&height={height}"
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        #: Without rendering (for load tests, where pyte's cost would crowd the server being measured),
        #: wait_for looks for each text in the bytes received: the app writes a run of text in one
        #: style as one piece, so a label or a line of prose arrives whole.
        self.render = render
        self.received = bytearray()
        #: Every binary message as it came (each is one piece of output of the app: a frame or part of one).
        self.messages: list[bytes] = []
        self.http: aiohttp.ClientSession | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.connected_at = 0.0
        self.first_byte_at: float | None = None
        self.closed = False
        self._reader: asyncio.Task | None = None
        self._changed = asyncio.Event()

    async def connect(self) -> "BrowserSession":
        self.http = aiohttp.ClientSession()
        self.connected_at = time.perf_counter()
        self.ws = await self.http.ws_connect(self.ws_url)
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        assert self.ws is not None
        async for msg in self.ws:
            if msg.type == aiohttp.WSMsgType.BINARY:
                if self.first_byte_at is None:
                    self.first_byte_at = time.perf_counter()
                self.messages.append(msg.data)
                if self.render:
                    self.stream.feed(msg.data)
                else:
                    self.received += msg.data
                self._changed.set()
            elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                break
        self.closed = True
        self._changed.set()

    def text(self) -> str:
        """The screen as plain text, one line per row."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    async def wait_for(self, *needles: str, timeout: float = 30.0) -> float:
        """Wait until every needle is on screen; the seconds since connecting. TimeoutError with the screen."""
        deadline = time.perf_counter() + timeout
        while True:
            screen = self.text() if self.render else self.received.decode("utf-8", "replace")
            if all(n in screen for n in needles):
                return time.perf_counter() - self.connected_at
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or self.closed:
                raise TimeoutError(f"waited for {needles!r}; the screen shows:\n{screen}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.5))
            except asyncio.TimeoutError:
                pass

    async def wait_for_close(self, timeout: float = 30.0) -> None:
        """Wait until the server closes this connection."""
        if self._reader is not None:
            await asyncio.wait_for(asyncio.shield(self._reader), timeout)

    async def type(self, text: str) -> None:
        """Send keys as the page does (Enter is "\\r")."""
        assert self.ws is not None
        await self.ws.send_str(json.dumps(["stdin", text]))

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            try:
                await asyncio.wait_for(self._reader, 10)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                self._reader.cancel()
        if self.http is not None:
            await self.http.close()


async def sign_in(session: BrowserSession, name: str, pin: str, *, new: bool) -> None:
    """Type a name and PIN on the sign-in screen (twice for a new name) and wait for the answer to show."""
    await session.wait_for("Sign in to the class")
    await session.type(name + "\r")
    await session.wait_for("Choose a PIN" if new else "Type your PIN")
    await session.type(pin + "\r")
    if new:
        await session.wait_for("Type the same PIN again")
        await session.type(pin + "\r")
