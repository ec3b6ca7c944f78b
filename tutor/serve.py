"""`backprop-tutor serve`: the tutor for browsers through textual-serve, one app process per connection."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import os
import shlex
import shutil
import tempfile
import signal
import socket
import sys
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from tutor.serve_sessions import StarterAppService

log = logging.getLogger("textual-serve")

from tutor.serve_defaults import DEFAULT_HOST, DEFAULT_PORT, DEFAULT_READY  # noqa: F401  (re-exported)
#: A Host header is echoed into the page only when it looks like a host name or address with a port.
_HOST_HEADER = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")
#: Seconds the server waits for sessions to end after Ctrl+C before it cancels them.
SHUTDOWN_TIMEOUT = 20.0
#: Set to 0 to start every session's app from scratch instead of forking it from the warm starter.
ENV_STARTER = "BACKPROP_TUTOR_SERVE_STARTER"
#: Seconds to wait for the session starter to be ready, and for it to stop its sessions.
STARTER_TIMEOUT, STARTER_STOP_TIMEOUT = 60.0, 15.0
#: Terminal sizes a browser may ask for; textual-serve passes them to the app unchecked.
MAX_COLUMNS, MAX_ROWS = 500, 200


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach a server listening on `host`."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def who_can_connect(host: str, port: int) -> str | None:
    """The one line printed when the server listens beyond this machine (None for a loopback host)."""
    if is_loopback(host):
        return None
    try:
        unspecified = ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        unspecified = False
    where = "any computer that can reach this one" if unspecified else f"any computer that can reach {host}"
    return (f"Listening on {host}:{port}: {where} on port {port} can open the tutor and sign in as a learner; "
            "use it only on a network you trust.")


def app_args(data_dir: Path, seed: int | None) -> list[str]:
    """The arguments of one classroom session (tutor.classroom_app.main)."""
    args = ["--data-dir", str(Path(data_dir).resolve())]
    return args + (["--seed", str(seed)] if seed is not None else [])


def session_command(data_dir: Path, seed: int | None) -> str:
    """The shell command that starts one session's app from scratch (when there is no warm starter)."""
    parts = [sys.executable, "-m", "tutor.classroom_app", *app_args(data_dir, seed)]
    return " ".join(shlex.quote(p) for p in parts)


def _session_environment() -> dict[str, str]:
    """The environment textual-serve gives each app process (Textual reads some of it once, at import)."""
    try:
        service = AppService("", write_bytes=None, write_str=None, close=None, download_manager=None)
        return service._build_environment()
    except Exception:  # a textual-serve without this method: the variables it documents
        return dict(os.environ, TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver", TEXTUAL_FPS="60",
                    TEXTUAL_COLOR_SYSTEM="truecolor", TERM_PROGRAM="textual")


class ClassroomServer(Server):
    """textual-serve's Server with page links that follow the address the browser used, and a clean stop.

    Every connection gets its own app process (textual-serve's AppService), forked from a warm
    starter process that has imported the tutor once (see serve_sessions). On shutdown every
    browser is told the session ended and every app is asked to quit, so each saves and closes its
    progress file before the server exits.
    """

    def __init__(self, *, host: str, port: int, data_dir: Path, seed: int | None = None, ready: int = 0):
        self._socket_dir = Path(tempfile.mkdtemp(prefix="backprop-tutor-serve-"))
        self.starter_socket = self._socket_dir / "starter.sock"
        super().__init__(session_command(data_dir, seed), host=host, port=port, title="backprop-tutor")
        self.data_dir = Path(data_dir)
        self.seed = seed
        self.sessions: set[web.WebSocketResponse] = set()
        self.starter: asyncio.subprocess.Process | None = None
        #: Sessions the starter keeps prepared for arriving browsers (serve_pool).
        self.ready = ready
        self._starter_lines: asyncio.Task | None = None

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.WARNING, format="%(message)s")

    async def on_startup(self, app: web.Application) -> None:
        """Nothing to do before listening; the banner is printed once the port is open (see _main)."""

    def _banner(self) -> None:
        url_host = self.host if ":" not in self.host else f"[{self.host}]"
        if not is_loopback(self.host):
            line = who_can_connect(self.host, self.port)
            print(line, flush=True)
            url_host = socket.gethostname() if ipaddress.ip_address(self.host.strip("[]")).is_unspecified \
                else url_host
        print(f"backprop-tutor classroom: open http://{url_host}:{self.port}/ in a browser", flush=True)
        print(f"Progress is kept in {self.data_dir / 'learners'}, one file per learner. Press Ctrl+C to stop.",
              flush=True)

    async def on_shutdown(self, app: web.Application) -> None:
        # Closing each websocket ends its handler, which asks its app to quit and waits for it.
        await asyncio.gather(*(ws.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")
                               for ws in list(self.sessions)), return_exceptions=True)

    def _base_url(self, request: web.Request) -> str:
        host = request.host
        if not _HOST_HEADER.match(host or ""):
            host = f"{self.host}:{self.port}"
        return f"{request.scheme}://{host}"

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page, with the websocket and static links on the same address the browser used."""
        base = self._base_url(request)
        router = request.app.router
        ws_url = base + str(router["websocket"].url_for())
        ws_url = ("wss:" if ws_url.startswith("https:") else "ws:") + ws_url.split(":", 1)[1]
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": ws_url,
            "config": {"static": {"url": base + str(router["static"].url_for(filename="/")).rstrip("/") + "/"}},
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser connection: its own app process, fed by the browser's keys and resizes."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = min(max(to_int(request.query.get("width", "80"), 80), 1), MAX_COLUMNS)
        height = min(max(to_int(request.query.get("height", "24"), 24), 1), MAX_ROWS)
        app_service: AppService | None = None
        try:
            await websocket.prepare(request)
            self.sessions.add(websocket)
            app_service = StarterAppService(
                self.command, starter=self.starter_socket if self.starter is not None else None,
                write_bytes=websocket.send_bytes, write_str=websocket.send_str, close=websocket.close,
                download_manager=self.download_manager, debug=self.debug)
            await app_service.start(width, height)
            await self._process_messages(websocket, app_service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # one broken connection must not stop the class
            log.exception(error)
        finally:
            self.sessions.discard(websocket)
            if app_service is not None:
                await app_service.stop()
        return websocket

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C (SIGINT) or SIGTERM; then stop every session and return."""
        self.debug = debug
        self.initialize_logging()
        asyncio.run(self._main())

    async def _main(self) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        runner = web.AppRunner(await self._make_app(), handle_signals=False, shutdown_timeout=SHUTDOWN_TIMEOUT)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
            await self._start_starter()
            self._banner()
            await stop.wait()
        finally:
            await runner.cleanup()
            await self._stop_starter()

    async def _start_starter(self) -> None:
        """Start the warm session starter; without it each connection starts the app from scratch."""
        if os.environ.get(ENV_STARTER, "1") == "0":
            return
        try:
            self.starter = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "tutor.serve_zygote", "--socket", str(self.starter_socket),
                "--ready", str(self.ready), "--",
                *app_args(self.data_dir, self.seed), stdout=asyncio.subprocess.PIPE, env=_session_environment())
            line = await asyncio.wait_for(self.starter.stdout.readline(), STARTER_TIMEOUT)
        except (OSError, asyncio.TimeoutError) as exc:
            line = b""
            log.warning("the session starter did not start (%s); sessions start more slowly", exc)
        if line.strip() != b"ready":
            await self._stop_starter()
        else:
            self._starter_lines = asyncio.create_task(self._hear_starter(self.starter.stdout))

    async def _hear_starter(self, stdout: asyncio.StreamReader) -> None:
        """The starter says once when its pool of prepared sessions is first full."""
        while line := await stdout.readline():
            words = line.split()
            if words[:1] == [b"prepared"] and len(words) == 2 and words[1].isdigit():
                print(f"backprop-tutor classroom: {int(words[1])} sessions are prepared for arriving browsers.",
                      flush=True)

    async def _stop_starter(self) -> None:
        if self._starter_lines is not None:
            self._starter_lines.cancel()
            self._starter_lines = None
        starter, self.starter = self.starter, None
        if starter is not None and starter.returncode is None:
            starter.terminate()
            try:
                await asyncio.wait_for(starter.wait(), STARTER_STOP_TIMEOUT)
            except asyncio.TimeoutError:
                starter.kill()
                await starter.wait()
        shutil.rmtree(self._socket_dir, ignore_errors=True)


def run(*, host: str, port: int, data_dir: Path, seed: int | None, ready: int = DEFAULT_READY) -> int:
    """Start the classroom server, keeping `ready` sessions prepared for arriving browsers; returns when stopped."""
    data_dir = Path(data_dir)
    (data_dir / "learners").mkdir(parents=True, exist_ok=True)
    server = ClassroomServer(host=host, port=port, data_dir=data_dir, seed=seed, ready=ready)
    try:
        server.serve()
    except OSError as exc:  # the port is taken, or the address is not this machine's
        print(f"backprop-tutor: error: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print("backprop-tutor classroom stopped; every learner's progress is saved.", flush=True)
    return 0
