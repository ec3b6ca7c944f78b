"""`backprop-tutor serve` as a browser meets it: the page over HTTP, then the app over its websocket."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys

import aiohttp
import pytest

from browser_client import BrowserSession, Served, free_port, sign_in
from tutor.learners import Registry, folder_name

SIGNED_IN = "Welcome to backprop-tutor"  # a new learner's first screen after signing in
HOME = "not started"  # the home screen's lesson list, as a learner without progress sees it


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with Served(tmp_path_factory.mktemp("class")) as s:
        yield s


async def test_the_page_and_its_script_load_over_http(served):
    async with aiohttp.ClientSession() as http:
        async with http.get(served.url + "/") as page:
            assert page.status == 200
            html = await page.text()
        # the page's websocket and script links use the address the browser asked for
        assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in html
        assert f"http://127.0.0.1:{served.port}/static/js/textual.js" in html
        async with http.get(f"{served.url}/static/js/textual.js") as script:
            assert script.status == 200 and len(await script.read()) > 100_000
        async with http.get(served.url + "/", headers={"Host": f"localhost:{served.port}"}) as page:
            assert f"ws://localhost:{served.port}/ws" in await page.text()
        async with http.get(served.url + "/", headers={"Host": '"><script>x</script>'}) as page:
            assert "<script>x" not in await page.text()  # a strange Host header is not echoed


async def test_a_browser_sees_the_sign_in_screen_and_signs_in(served):
    session = await BrowserSession(served.url).connect()
    try:
        await session.wait_for("backprop-tutor", "Sign in to the class", "your name")
        await sign_in(session, "Carla", "2468", new=True)
        await session.wait_for(SIGNED_IN, "Carla")  # the header names the learner
    finally:
        await session.close()
    folder = served.data_dir / "learners" / folder_name("Carla")
    assert (folder / "progress.db").exists()


async def test_two_learners_at_once_get_two_files(served):
    ana, bea = BrowserSession(served.url), BrowserSession(served.url)
    await asyncio.gather(ana.connect(), bea.connect())
    try:
        await asyncio.gather(sign_in(ana, "Ana", "1357", new=True), sign_in(bea, "Bea", "8642", new=True))
        await asyncio.gather(ana.wait_for(SIGNED_IN), bea.wait_for(SIGNED_IN))
        await ana.type("\r")  # close the welcome: the tutor stores that it was seen
        await ana.wait_for(HOME, timeout=60)
    finally:
        await ana.close()
        await bea.close()
    a = served.data_dir / "learners" / folder_name("Ana") / "progress.db"
    b = served.data_dir / "learners" / folder_name("Bea") / "progress.db"
    assert a != b and a.exists() and b.exists()

    def welcomed(path) -> bool:
        conn = sqlite3.connect(str(path))
        try:
            return bool(conn.execute("SELECT 1 FROM meta WHERE key = 'welcomed'").fetchall())
        finally:
            conn.close()

    assert welcomed(a) and not welcomed(b)  # Ana's step landed in Ana's file only


async def test_a_wrong_pin_opens_nothing_and_the_right_one_opens_the_learners_own_progress(served):
    first = await BrowserSession(served.url).connect()
    try:
        await sign_in(first, "Dana", "1111", new=True)
        await first.wait_for(SIGNED_IN)
        await first.type("\r")
        await first.wait_for(HOME, timeout=60)
    finally:
        await first.close()
    again = await BrowserSession(served.url).connect()
    try:
        await sign_in(again, "dana", "9999", new=False)  # another case is the same name
        await again.wait_for("That PIN is not right")
        assert HOME not in again.text() and SIGNED_IN not in again.text()
        with Registry(served.data_dir) as registry:
            row = registry._conn.execute("SELECT failures FROM learners WHERE key = ?",
                                         (folder_name("Dana"),)).fetchone()
        assert row == (1,)
        await asyncio.sleep(1.2)  # the PIN box reopens after a pause
        await again.type("1111\r")
        await again.wait_for(HOME, timeout=60)  # Dana's own store: the welcome was already seen
    finally:
        await again.close()


async def test_ctrl_c_stops_every_session_and_keeps_their_progress(tmp_path):
    served = Served(tmp_path)
    try:
        sessions = [BrowserSession(served.url) for _ in range(2)]
        await asyncio.gather(*(s.connect() for s in sessions))
        await asyncio.gather(sign_in(sessions[0], "Eve", "4321", new=True),
                             sign_in(sessions[1], "Finn", "5678", new=True))
        await asyncio.gather(*(s.wait_for(SIGNED_IN) for s in sessions))
        await sessions[0].type("\r")
        await sessions[0].wait_for(HOME, timeout=60)
        status, out, err = served.stop()  # SIGINT, as Ctrl+C sends
        await asyncio.gather(*(s.wait_for_close() for s in sessions))
    finally:
        if served.proc.poll() is None:
            served.stop()
    assert status == 0, err
    assert "stopped" in out and "Traceback" not in err
    with pytest.raises(ProcessLookupError):  # nothing of the server is left running
        os.killpg(served.proc.pid, 0)
    for name in ("Eve", "Finn"):
        conn = sqlite3.connect(str(tmp_path / "learners" / folder_name(name) / "progress.db"))
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            conn.close()
    conn = sqlite3.connect(str(tmp_path / "learners" / folder_name("Eve") / "progress.db"))
    assert conn.execute("SELECT value FROM meta WHERE key = 'welcomed'").fetchone() == ("1",)
    conn.close()


def test_listening_beyond_this_machine_says_who_can_connect(tmp_path):
    served = Served(tmp_path, extra=("--host", "0.0.0.0"))
    try:
        banner = "\n".join(served.banner)
    finally:
        served.stop()
    assert "0.0.0.0" in banner and "any computer that can reach this one" in banner


def test_the_default_is_this_machine_only(served):
    assert not any("can reach" in line for line in served.banner)
    assert any(f"http://127.0.0.1:{served.port}/" in line for line in served.banner)


@pytest.mark.parametrize("args", [["--port", "0"], ["--port", "http"], ["--host", ""], ["--ready", "-1"],
                                  ["--ready", "many"], ["--ready", "201"]])
def test_bad_serve_arguments_are_one_line_and_status_2(args, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "tutor", "serve", "--data-dir", str(tmp_path), *args],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and proc.stdout == ""


def test_a_port_in_use_is_one_line_and_status_1(tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "tutor", "serve", "--data-dir", str(tmp_path),
                               "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "cannot listen" in proc.stderr and proc.stderr.count("\n") == 1


def test_the_cli_runs_under_textual_web_driver_without_a_terminal(tmp_path):
    """textual-serve starts apps with pipes, not a terminal: the CLI lets Textual's web driver through."""
    env = dict(os.environ, TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver", COLUMNS="80", ROWS="24")
    proc = subprocess.Popen([sys.executable, "-m", "tutor", "--data-dir", str(tmp_path)], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout.readline() == b"__GANGLION__\n"  # the web driver's hello to textual-serve
        quit_packet = b'{"type": "quit"}'
        proc.stdin.write(b"M" + len(quit_packet).to_bytes(4, "big") + quit_packet)
        proc.stdin.flush()
        proc.stdout.read()
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
    # and without the web driver, a pipe is still refused in one line
    env.pop("TEXTUAL_DRIVER")
    refused = subprocess.run([sys.executable, "-m", "tutor", "--data-dir", str(tmp_path)], env=env,
                             stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "needs a terminal" in refused.stderr


def test_free_port_is_free():
    import socket

    port = free_port()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))


def test_serve_help_says_how_many_sessions_are_kept_prepared_and_what_each_holds():
    from tutor.serve_defaults import DEFAULT_READY

    proc = subprocess.run([sys.executable, "-m", "tutor", "serve", "--help"], capture_output=True, text=True,
                          timeout=60)
    text = " ".join(proc.stdout.split())
    assert proc.returncode == 0 and "--ready N" in text
    assert f"default {DEFAULT_READY}" in text and "MiB" in text and "0 prepares none" in text
