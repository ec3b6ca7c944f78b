"""The command line against hostile input: special files, huge specs, terminal escapes in files, a full
disk or closed stdout, and arguments thousands of characters long."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.spec import MAX_DESCRIPTION_CHARS, MAX_FILE_BYTES, MAX_PARAMETERS, SpecError, parse_spec
from tutor.cli import main
from tutor.progress import Progress

ROOT = Path(__file__).resolve().parents[2]
MAZUR = str(ROOT / "tutor" / "examples" / "mazur.json")
LESSON = "chain-rule"
# Bytes that make a terminal act rather than show: ESC (CSI, OSC), the 8-bit CSI, BEL.
ACTIVE = ("\x1b", "\x9b", "\x07", "\x9d")
ESCAPES = ("\x1b]52;c;ZWNobyBwd25lZA==\x07"  # OSC 52: write the clipboard
           "\x1b]8;;https://example.invalid\x1b\\click\x1b]8;;\x1b\\"  # OSC 8: a hidden link
           "\x1b[2J\x1b[H"  # CSI: clear the screen
           "\x9b31m\u202etxt.exe")  # 8-bit CSI, a right-to-left override


def _cli(*args: str, timeout: float = 20, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("stdout", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "tutor", *args], cwd=ROOT, stderr=subprocess.PIPE, timeout=timeout,
                          **kwargs)


def _spec(**changes) -> dict:
    spec = json.loads(Path(MAZUR).read_text())
    spec.update(changes)
    return spec


def _write(tmp_path: Path, data) -> str:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def _one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("backprop-tutor: error: ") and "Traceback" not in err, err
    return lines[0]


# -- 6. files that are not spec files ----------------------------------------------------------------


def test_a_device_that_never_ends_is_refused_at_once(capsys):
    assert main(["solve", "/dev/zero"]) == 2
    assert "not a regular file" in _one_error_line(capsys.readouterr().err)


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "spec.json")
    done = _cli("solve", str(tmp_path / "spec.json"))  # a blocking open would run into the timeout
    assert done.returncode == 2 and "not a regular file" in _one_error_line(done.stderr.decode())


def test_a_file_past_the_size_limit_is_refused_with_the_limit(tmp_path, capsys):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (MAX_FILE_BYTES + 1))
    assert main(["solve", str(path)]) == 2
    assert f"at most {MAX_FILE_BYTES}" in _one_error_line(capsys.readouterr().err)


def test_a_link_to_a_spec_file_is_followed(tmp_path, capsys):
    (tmp_path / "link.json").symlink_to(MAZUR)
    assert main(["solve", str(tmp_path / "link.json"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["E"] == pytest.approx(0.298371109, abs=1e-8)


# -- 7. specs far beyond any learner's network -------------------------------------------------------


def test_a_thousand_by_thousand_by_thousand_network_is_refused_before_any_work():
    spec = {"layers": [1000, 1000, 1000], "activations": ["sigmoid", "sigmoid"], "weights": [[], []],
            "input": [], "target": []}
    with pytest.raises(SpecError, match=f"2000000 weights and biases; at most {MAX_PARAMETERS}"):
        parse_spec(spec)


def test_a_description_past_its_limit_is_refused_with_the_limit():
    with pytest.raises(SpecError, match=f"at most {MAX_DESCRIPTION_CHARS}"):
        parse_spec(_spec(description="x" * (MAX_DESCRIPTION_CHARS + 1)))


@pytest.mark.parametrize("text,message", [
    ('{"layers": [' + "9" * 5000 + ', 2]}', "not usable JSON"),
    ("[" * 100_000, "nested too deeply"),
    (json.dumps(_spec(input=[1e308, 1e308])).replace("1e+308", "1e999"), "must be a finite number"),
    (json.dumps(_spec(layers=[2, 10**40, 2])), "units; at most"),
])
def test_huge_numbers_and_deep_nesting_are_one_line(tmp_path, capsys, text, message):
    path = tmp_path / "spec.json"
    path.write_text(text)
    assert main(["solve", str(path)]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert message in line and len(line) < 300


# -- 8. terminal escapes in files ---------------------------------------------------------------------


def test_escapes_in_a_description_never_reach_the_terminal(tmp_path):
    path = _write(tmp_path, _spec(description="Mazur " + ESCAPES))
    done = _cli("solve", path)
    assert done.returncode == 0
    out = done.stdout.decode()
    assert not any(ch in out for ch in ACTIVE) and "\u202e" not in out
    assert out.splitlines()[0].startswith("Mazur \\x1b]52;c;")  # shown, visibly, not acted on


def test_escapes_in_the_file_name_never_reach_the_terminal(tmp_path):
    name = tmp_path / ("net" + ESCAPES.replace("/", "_") + ".json")
    name.write_text(json.dumps(_spec()), encoding="utf-8")
    done = _cli("solve", str(name))
    assert done.returncode == 0 and not any(ch in done.stdout.decode() for ch in ACTIVE)
    bad = _cli("solve", str(name) + "-missing")
    assert bad.returncode == 2 and not any(ch in bad.stderr.decode() for ch in ACTIVE)


@pytest.mark.parametrize("command", [["list"], ["progress"], ["progress", "--json"]])
def test_escapes_in_the_data_folder_and_the_file_never_reach_the_terminal(tmp_path, command):
    data = tmp_path / ("d" + ESCAPES.replace("/", "_"))
    with Progress.open(data) as p:
        p.set_position(LESSON, "pipeline")
    (data / "progress.db").write_bytes(b"\x1b[2J garbage " * 100)  # damaged: the notice names the folder
    done = _cli(*command, "--data-dir", str(data))
    assert done.returncode == 0
    shown = done.stdout.decode() + done.stderr.decode()
    assert not any(ch in shown for ch in ACTIVE) and "\u202e" not in shown
    if "--json" in command:
        assert json.loads(done.stdout)["database"] == str(data / "progress.db")  # escaped, still the same value


def test_escapes_in_an_unknown_lesson_id_are_escaped(capsys):
    assert main(["lesson", "\x1b]52;c;aGk=\x07"]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert "\x1b" not in line and "\\x1b" in line


# -- 9. write errors ---------------------------------------------------------------------------------


def _started(data: Path) -> None:
    with Progress.open(data) as p:
        p.set_position(LESSON, "pipeline")
        p.record_attempt(LESSON, "pipeline", "kept", True, None, seed=7)


COMMANDS = [["list"], ["progress"], ["progress", "--json"], ["solve", "--example", "mazur"],
            ["solve", "--example", "mazur", "--json"],
            ["reset", "--yes"], ["--help"], ["--version"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_full_disk_is_one_line_and_a_failure_status(tmp_path, command):
    _started(tmp_path)
    with open("/dev/full", "w") as full:
        done = _cli(*command, "--data-dir", str(tmp_path), stdout=full)
    err = done.stderr.decode()
    assert done.returncode == 1 and "No space left on device" in _one_error_line(err)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_closed_stdout_is_one_line_and_a_failure_status(tmp_path, command):
    _started(tmp_path)
    done = subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "tutor", *command,
                           "--data-dir", str(tmp_path)], cwd=ROOT, capture_output=True, timeout=20)
    assert done.returncode == 1 and "standard output is closed" in _one_error_line(done.stderr.decode())


@pytest.mark.parametrize("how", ["full", "closed"])
def test_reset_that_cannot_confirm_forgets_nothing(tmp_path, how):
    _started(tmp_path)
    if how == "full":
        with open("/dev/full", "w") as full:
            done = _cli("reset", "--yes", "--data-dir", str(tmp_path), stdout=full)
    else:
        done = subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "tutor", "reset", "--yes",
                               "--data-dir", str(tmp_path)], cwd=ROOT, capture_output=True, timeout=20)
    assert done.returncode == 1
    with Progress.open(tmp_path) as p:
        assert p.position(LESSON) == "pipeline" and len(p.attempts(LESSON)) == 1


def test_reset_prints_its_confirmation_then_forgets(tmp_path):
    _started(tmp_path)
    done = _cli("reset", "--yes", "--data-dir", str(tmp_path))
    assert done.returncode == 0 and done.stdout.decode().startswith("Forgot progress for every lesson")
    with Progress.open(tmp_path) as p:
        assert p.position(LESSON) is None and p.attempts(LESSON) == []


# -- 10. very long arguments ------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [
    ["--seed", "9" * 5000, "list"],
    ["--seed", "x" * 5000, "list"],
    ["lesson", "y" * 5000],
    ["quiz", LESSON, "z" * 5000],
    ["no-such-command-" + "w" * 5000],
    ["list", "--no-such-option-" + "v" * 5000],
    ["reset", "u" * 5000],
])
def test_long_arguments_are_cut_in_the_error_line(argv, capsys):
    assert main(argv) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert len(line) < 400, len(line)
    assert "…" in line
