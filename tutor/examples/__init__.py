"""The worked example networks shipped with the package, and the `backprop-tutor examples` command."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def names() -> list[str]:
    """The example names, sorted (a name is the file name without `.json`)."""
    return sorted(p.stem for p in HERE.glob("*.json"))


def path(name: str) -> Path:
    """The file of the example called `name`; KeyError (with the known names) when there is none."""
    known = names()
    if name not in known:
        raise KeyError(f"no example {name!r}; the examples are: {', '.join(known)}")
    return HERE / f"{name}.json"


#: `backprop-tutor examples` keeps each line within this many columns.
LINE_WIDTH = 80


def summary(name: str) -> str:
    """About an example: its layers and loss, then its description."""
    data = json.loads(path(name).read_text(encoding="utf-8"))
    shape = "-".join(str(n) for n in data.get("layers", []))
    description = data.get("description") or "/".join(data.get("activations", []))
    return f"{shape}, {data.get('loss', 'sse')}: {description}"


def add_parser(subparsers, parents) -> argparse.ArgumentParser:
    """Add the `examples` subcommand to the CLI's subparsers."""
    return subparsers.add_parser(
        "examples", parents=parents, help="the example networks shipped for `solve --example NAME`",
        description="List the example networks that come with the tutor, one line each. "
        "Use one with `backprop-tutor solve --example NAME`.")


def format_list() -> str:
    """The text `backprop-tutor examples` prints."""
    known = names()
    width = max((len(n) for n in known), default=0)
    lines = [_fit(f"{name:<{width}}  {summary(name)}") for name in known]
    lines.append("")
    lines.append("Solve one with: backprop-tutor solve --example NAME [--json] [--check]")
    return "\n".join(lines) + "\n"


def _fit(line: str) -> str:
    return line if len(line) <= LINE_WIDTH else line[:LINE_WIDTH - 1].rstrip() + "…"
