"""Headless Chromium against `backprop-tutor serve`: sign in as a learner would, save screenshots, check keys.

Needs Debian's `chromium` and `chromium-driver` (apt-get install chromium chromium-driver).
Run:  python tests/tutor/chromium_check.py [--out DIR]
It starts `serve` on a free local port with a fresh data folder, opens the page in headless Chromium
(through chromedriver's W3C WebDriver protocol, spoken here with urllib), signs in as a new learner,
and saves sign-in.png, welcome.png and home.png in DIR. Then it serves a key-echo app through
textual-serve and presses every key the tutor binds, reporting which ones reached the app.
The opt-in test tests/tutor/test_browser_chromium.py runs the same (pytest --run-browser).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from browser_client import Served, descendants, free_port, process_name  # noqa: E402

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1100,800"]
#: W3C WebDriver key codes
KEY = {"enter": "\ue007", "escape": "\ue00c", "tab": "\ue004", "up": "\ue013", "down": "\ue015",
       "left": "\ue012", "right": "\ue014", "pageup": "\ue00e", "pagedown": "\ue00f",
       "home": "\ue011", "end": "\ue010",
       "ctrl": "\ue009", "shift": "\ue008", "space": " ", "question_mark": "?",
       **{f"f{n}": chr(0xE030 + n) for n in range(1, 13)}}  # WebDriver's F1 is U+E031, …, F12 U+E03C


def available() -> str | None:
    """None when headless Chromium can be driven here, else why not."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).exists():
            return f"{path} is missing (apt-get install chromium chromium-driver)"
    return None


class WebDriver:
    """The few W3C WebDriver commands this check needs, against a chromedriver of its own."""

    def __init__(self):
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="backprop-tutor-chromium-")
        self.proc = subprocess.Popen([CHROMEDRIVER, f"--port={self.port}"], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if self._call("GET", "/status")["value"].get("ready"):
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("chromedriver did not start")
            time.sleep(0.2)
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": CHROMIUM, "args": [*FLAGS, f"--user-data-dir={self.profile}"]}}}}
        self.session = self._call("POST", "/session", caps)["value"]["sessionId"]

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.loads(resp.read())

    def cmd(self, method: str, path: str, body: dict | None = None) -> dict:
        return self._call(method, f"/session/{self.session}{path}", body)

    def open(self, url: str) -> None:
        self.cmd("POST", "/url", {"url": url})

    def click(self, css: str) -> None:
        element = self.cmd("POST", "/element", {"using": "css selector", "value": css})["value"]
        self.cmd("POST", f"/element/{next(iter(element.values()))}/click", {})

    def screenshot(self, path: Path) -> None:
        path.write_bytes(base64.b64decode(self.cmd("GET", "/screenshot")["value"]))

    def press(self, key: str) -> None:
        """One key as Textual names it: 'a', 'enter', 'ctrl+n', 'f1', 'question_mark'."""
        *mods, last = key.split("+") if key != "+" else ["+"]
        actions = [{"type": "keyDown", "value": KEY[m]} for m in mods]
        code = KEY.get(last, last)
        actions += [{"type": "keyDown", "value": code}, {"type": "keyUp", "value": code}]
        actions += [{"type": "keyUp", "value": KEY[m]} for m in reversed(mods)]
        self.cmd("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})
        self.cmd("DELETE", "/actions")

    def type(self, text: str) -> None:
        for ch in text:
            self.press(ch)

    def close(self) -> None:
        try:
            self.cmd("DELETE", "")
        except Exception:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def _wait(predicate, timeout: float = 30.0, step: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def sign_in_and_screenshot(out: Path, name: str = "Ana", pin: str = "2468") -> dict:
    """Serve the tutor, sign in from Chromium as a new learner; screenshots and what was stored."""
    import sqlite3

    from tutor.learners import folder_name

    data = Path(tempfile.mkdtemp(prefix="backprop-tutor-class-"))
    result: dict = {"screenshots": []}
    with Served(data) as served:
        served.wait_until_prepared()  # so that the browser is given a session prepared in advance
        prepared = {p for p in descendants(served.proc.pid) if process_name(p) == "tutor-ready"}
        browser = WebDriver()
        try:
            browser.open(served.url + "/")
            time.sleep(4)  # the page loads its script, opens the websocket and the app paints
            browser.screenshot(out / "sign-in.png")
            in_use = {p for p in descendants(served.proc.pid) if process_name(p) == "tutor-session"}
            result["prepared_session"] = len(in_use) == 1 and in_use <= prepared
            browser.click("#terminal")
            browser.type(name)
            browser.press("enter")
            time.sleep(1.5)
            browser.type(pin)
            browser.press("enter")
            time.sleep(1)
            browser.type(pin)
            browser.press("enter")
            registry = data / "learners.db"
            db = data / "learners" / folder_name(name) / "progress.db"
            result["signed_in"] = _wait(db.exists, 20)
            time.sleep(2)
            browser.screenshot(out / "welcome.png")
            browser.press("enter")
            time.sleep(2)
            browser.screenshot(out / "home.png")
            result["screenshots"] = [str(out / n) for n in ("sign-in.png", "welcome.png", "home.png")]

            def welcomed() -> bool:
                conn = sqlite3.connect(str(db))
                try:
                    return bool(conn.execute("SELECT 1 FROM meta WHERE key = 'welcomed'").fetchall())
                except sqlite3.Error:
                    return False
                finally:
                    conn.close()

            result["welcomed"] = result["signed_in"] and _wait(welcomed, 10)
            conn = sqlite3.connect(str(registry))
            result["registered"] = [r[0] for r in conn.execute("SELECT name FROM learners")]
            conn.close()
        finally:
            browser.close()
    shutil.rmtree(data, ignore_errors=True)
    return result


def tutor_keys() -> list[str]:
    """Every key the tutor binds today, as Textual names them, plus the ones Textual itself binds."""
    from tutor.app import BackpropTutor
    from tutor.commands import ConfirmReset
    from tutor.screens.help import HelpScreen
    from tutor.screens.home import HomeScreen, WelcomeScreen
    from tutor.screens.lesson import LessonScreen
    from tutor.screens.quiz import QuizScreen
    from tutor.screens.worksheet import WorksheetScreen

    keys: list[str] = ["ctrl+q", "ctrl+p", "tab"]
    for cls in (BackpropTutor, HomeScreen, WelcomeScreen, LessonScreen, QuizScreen, HelpScreen, ConfirmReset,
                WorksheetScreen):
        for binding in cls.BINDINGS:
            keys += [k.strip() for k in binding.key.split(",")]
    return list(dict.fromkeys(keys))


def check_keys(keys: list[str]) -> dict[str, bool]:
    """Serve the key-echo app through textual-serve and press each key in Chromium; which arrived."""
    from textual_serve.server import Server

    out = Path(tempfile.mkdtemp(prefix="backprop-tutor-keys-")) / "keys.txt"
    out.touch()
    port = free_port()
    command = " ".join(map(_quote, [sys.executable, str(HERE / "key_echo_app.py"), str(out)]))
    server = subprocess.Popen([sys.executable, "-c", "import sys; from textual_serve.server import Server; "
                               "Server(sys.argv[1], host='127.0.0.1', port=int(sys.argv[2])).serve()",
                               command, str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    del Server
    got: dict[str, bool] = {}
    try:
        if not _wait(lambda: _port_open(port), 30):
            raise RuntimeError("textual-serve did not start")
        browser = WebDriver()
        try:
            browser.open(f"http://127.0.0.1:{port}/")
            time.sleep(4)
            browser.click("#terminal")
            time.sleep(0.5)
            for key in keys:
                before = out.read_text(encoding="utf-8").splitlines()
                browser.press(key)
                _wait(lambda: len(out.read_text(encoding="utf-8").splitlines()) > len(before), 2.0, 0.05)
                after = out.read_text(encoding="utf-8").splitlines()[len(before):]
                got[key] = key in after
        finally:
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    return got


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=".", help="folder for the screenshots (default: here)")
    args = parser.parse_args()
    why = available()
    if why:
        print(why, file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    result = sign_in_and_screenshot(out)
    print(json.dumps(result, indent=1))
    keys = check_keys(tutor_keys())
    print("keys that reached the app in headless Chromium:", " ".join(k for k, ok in keys.items() if ok))
    print("keys that did not:", " ".join(k for k, ok in keys.items() if not ok) or "none")
    return 0 if result.get("welcomed") else 1


if __name__ == "__main__":
    os.environ.pop("BACKPROP_TUTOR_DATA_DIR", None)
    sys.exit(main())
