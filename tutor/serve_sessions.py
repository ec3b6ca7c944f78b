"""One browser connection's app process, forked by the warm starter (serve_zygote) instead of started cold.

textual-serve's AppService talks to its app through the process's stdin, stdout and stderr. Here
those are three pipes whose far ends are handed to the starter over its Unix socket; the starter
forks a child that takes them as its own. AppService sees the same streams either way; without a
starter (or if it does not answer) the app is started from scratch, as textual-serve always does.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
from pathlib import Path

from textual_serve.app_service import AppService

log = logging.getLogger("textual-serve")
#: An app prints a few lines of prelude before its first frame; frames are length-prefixed packets.
STREAM_LIMIT = 2**20


class ForkedProcess:
    """The parts of asyncio.subprocess.Process that AppService uses, for a child of the starter."""

    def __init__(self) -> None:
        self.stdin: asyncio.StreamWriter | None = None
        self.stdout = asyncio.StreamReader(limit=STREAM_LIMIT)
        self.stderr = asyncio.StreamReader(limit=STREAM_LIMIT)
        self.returncode: int | None = None
        self._socket: socket.socket | None = None
        self._transports: list[asyncio.BaseTransport] = []
        self._status: asyncio.Task | None = None

    @classmethod
    async def start(cls, starter: Path, env: dict[str, str]) -> "ForkedProcess":
        """Ask the starter for a child with these pipes; OSError when the starter cannot be reached."""
        loop = asyncio.get_running_loop()
        self = cls()
        fds = [*os.pipe(), *os.pipe(), *os.pipe()]  # stdin r/w, stdout r/w, stderr r/w
        in_r, in_w, out_r, out_w, err_r, err_w = fds
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(5.0)
            sock.connect(str(starter))
            socket.send_fds(sock, [json.dumps(env).encode("utf-8")], [in_r, out_w, err_w])
        except OSError:
            sock.close()
            for fd in fds:
                os.close(fd)
            raise
        for fd in (in_r, out_w, err_w):  # the child has them now
            os.close(fd)
        sock.setblocking(False)
        self._socket = sock
        for reader, fd in ((self.stdout, out_r), (self.stderr, err_r)):
            transport, _ = await loop.connect_read_pipe(lambda r=reader: asyncio.StreamReaderProtocol(r),
                                                        os.fdopen(fd, "rb", buffering=0))
            self._transports.append(transport)
        transport, protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin,
                                                            os.fdopen(in_w, "wb", buffering=0))
        self._transports.append(transport)
        self.stdin = asyncio.StreamWriter(transport, protocol, None, loop)
        self._status = asyncio.create_task(self._wait_status())
        return self

    async def _wait_status(self) -> None:
        loop = asyncio.get_running_loop()
        reply = b""
        try:
            while not reply.endswith(b"\n"):
                chunk = await loop.sock_recv(self._socket, 64)
                if not chunk:
                    break
                reply += chunk
            self.returncode = int(reply) if reply.strip() else 1
        except (OSError, ValueError):
            self.returncode = 1

    async def wait(self) -> int:
        if self._status is not None:
            await self._status
        return self.returncode if self.returncode is not None else 1

    def close(self) -> None:
        """Close this side of the pipes and the socket (the app has ended, or is being abandoned)."""
        for transport in self._transports:
            transport.close()
        self._transports.clear()
        if self._status is not None and not self._status.done():
            self._status.cancel()
        if self._socket is not None:
            self._socket.close()


#: The environment of an app process, without its terminal size, made once per debug setting.
_BASE_ENVIRONMENT: dict[bool, dict[str, str]] = {}


class StarterAppService(AppService):
    """AppService whose app is forked by the warm starter when there is one."""

    def __init__(self, command: str, *, starter: Path | None, **kwargs) -> None:
        super().__init__(command, **kwargs)
        self.starter = starter

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        # textual-serve looks its own version up for every connection (a scan of the installed
        # packages, about 5 ms in the one event loop that relays every session); it does not change.
        base = _BASE_ENVIRONMENT.get(self.debug)
        if base is None:
            base = _BASE_ENVIRONMENT[self.debug] = super()._build_environment(width, height)
        return {**base, "COLUMNS": str(width), "ROWS": str(height)}

    async def _open_app_process(self, width: int = 80, height: int = 24):
        if self.starter is not None:
            try:
                process = await ForkedProcess.start(self.starter, self._build_environment(width, height))
            except OSError as exc:
                log.warning("the session starter did not answer (%s); starting the app from scratch", exc)
            else:
                self._process = process
                self._stdin = process.stdin
                return process
        return await super()._open_app_process(width, height)

    async def run(self) -> None:
        try:
            await super().run()
        finally:
            if isinstance(self._process, ForkedProcess):
                self._process.close()
