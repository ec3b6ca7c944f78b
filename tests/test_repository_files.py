"""The project's own files: no merge left half done, and every benchmark script at least compiles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEXT = {".py", ".md", ".toml", ".tcss", ".json", ".txt", ".cfg"}
MARKER = re.compile(r"^(<{7} |>{7} |={7}$)", re.MULTILINE)


def _project_files():
    for folder in ("engine", "lessons", "tutor", "tests", "benchmarks", "docs", ".ci"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and (path.suffix in TEXT or folder == ".ci") and "__pycache__" not in path.parts:
                yield path
    yield from (p for p in sorted(ROOT.glob("*")) if p.is_file() and p.suffix in TEXT | {""})


def test_no_merge_conflict_markers():
    found = [f"{p.relative_to(ROOT)}:{text[:m.start()].count(chr(10)) + 1}"
             for p in _project_files() for text in [p.read_text(encoding="utf-8", errors="replace")]
             for m in MARKER.finditer(text)]
    assert not found, f"merge conflict markers left in: {', '.join(found)}"


@pytest.mark.parametrize("script", sorted((ROOT / "benchmarks").glob("*.py")), ids=lambda p: p.name)
def test_benchmark_scripts_compile(script):
    compile(script.read_text(encoding="utf-8"), str(script), "exec")
