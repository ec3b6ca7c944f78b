"""Read and validate a `solve` spec (JSON) into a Network and one example, with one-line errors."""

from __future__ import annotations

import json
import math
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine.activations import ACTIVATIONS
from engine.losses import LOSSES
from engine.network import Network
from engine.safe_text import printable

REQUIRED = ("layers", "activations", "weights", "input", "target")
OPTIONAL = ("loss", "biases", "learning_rate", "description")
# A spec is a hand-sized problem: these limits lie far beyond any network a learner works through, and
# keep one `solve` to a second or so and a few thousand lines of output.
MAX_UNITS = 1000  # per layer
MAX_LAYERS = 50
MAX_PARAMETERS = 10_000  # weights and biases together
MAX_DESCRIPTION_CHARS = 2_000
MAX_FILE_BYTES = 2_000_000  # a spec at the parameter limit, written out in full, is far smaller


class SpecError(ValueError):
    """A spec that cannot be used; the message is one line naming the problem and the field."""


@dataclass(frozen=True)
class Spec:
    """A validated spec: the network, one example, and the learning rate (None: no update)."""

    network: Network
    input: np.ndarray
    target: np.ndarray
    learning_rate: float | None = None
    description: str | None = None


def read_spec_file(path: str | Path, limit: int = MAX_FILE_BYTES) -> str:
    """The text of a spec file: only a regular file of at most `limit` bytes is read (a FIFO, a device
    such as /dev/zero, or a huge file is refused at once). Raises SpecError."""
    shown = printable(path, 200)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise SpecError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise SpecError(f"{shown}: is a directory, not a spec file") from None
    except OSError as exc:
        raise SpecError(f"{shown}: cannot read it ({exc.strerror or exc})") from None
    except ValueError:  # e.g. a NUL byte in the path
        raise SpecError(f"{printable(repr(str(path)), 200)} is not a usable file name") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise SpecError(f"{shown}: is a directory, not a spec file")
        if not stat.S_ISREG(info.st_mode):
            raise SpecError(f"{shown}: not a regular file (a spec is a JSON file)")
        if info.st_size > limit:
            raise SpecError(f"{shown}: the file is too large for a spec ({info.st_size} bytes; at most {limit})")
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:  # the file grew while being read
                raise SpecError(f"{shown}: the file is too large for a spec (at most {limit} bytes)")
            chunks.append(chunk)
    except OSError as exc:
        raise SpecError(f"{shown}: cannot read it ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError:
        raise SpecError(f"{shown}: not UTF-8 text (a spec is a JSON file)") from None


def load_spec(path: str | Path) -> Spec:
    """Read a spec file; every problem (unreadable file, bad JSON, bad field) raises SpecError."""
    return parse_spec_text(read_spec_file(path), printable(path, 200))


def parse_spec_text(text: str, source: str = "spec") -> Spec:
    """Parse JSON text into a Spec (SpecError on malformed JSON or a bad field)."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except SpecError as exc:
        raise SpecError(f"{source}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise SpecError(f"{source}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise SpecError(f"{source}: not valid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer literal with thousands of digits
        raise SpecError(f"{source}: not usable JSON: {str(exc).splitlines()[0]}") from None
    try:
        return parse_spec(data)
    except SpecError as exc:
        raise SpecError(f"{source}: {exc}") from None


def _no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise SpecError(f"field {_key(key)} is given twice")
        seen[key] = value
    return seen


def parse_spec(data: Any) -> Spec:
    """Validate an already parsed JSON value (a dict) into a Spec."""
    if not isinstance(data, dict):
        raise SpecError(f"a spec must be a JSON object with fields {', '.join(REQUIRED)}; got {_kind(data)}")
    unknown = [k for k in data if k not in REQUIRED + OPTIONAL]
    if unknown:
        raise SpecError(f"unknown field {_key(unknown[0])} (the fields are {', '.join(REQUIRED + OPTIONAL)})")
    missing = [k for k in REQUIRED if k not in data]
    if missing:
        raise SpecError(f"missing field {missing[0]!r}")

    layers = data["layers"]
    if not isinstance(layers, list) or len(layers) < 2:
        raise SpecError("layers must be a list of at least two unit counts, input layer first, e.g. [2, 2, 2]")
    if len(layers) > MAX_LAYERS:
        raise SpecError(f"layers: at most {MAX_LAYERS} layers")
    for i, n in enumerate(layers):
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise SpecError(f"layers[{i}] must be a whole number of units (at least 1), got {_show(n)}")
        if n > MAX_UNITS:
            raise SpecError(f"layers[{i}] has {_show(n)} units; at most {MAX_UNITS} per layer")
    L = len(layers) - 1
    parameters = sum(layers[l] * layers[l + 1] for l in range(L))
    if data.get("biases") is not None:
        parameters += sum(layers[1:])
    if parameters > MAX_PARAMETERS:
        raise SpecError(f"layers: this network has {parameters} weights and biases; at most {MAX_PARAMETERS}")

    acts = data["activations"]
    if not isinstance(acts, list) or len(acts) != L:
        raise SpecError(f"activations must be a list of {L} names, one per non-input layer")
    for i, name in enumerate(acts):
        if not isinstance(name, str) or name not in ACTIVATIONS:
            raise SpecError(f"activations[{i}]: unknown activation {_show(name)} (use one of {', '.join(ACTIVATIONS)})")
        if name == "softmax" and i != L - 1:
            raise SpecError(f"activations[{i}]: softmax is only allowed in the output layer")

    loss = data.get("loss", "sse")
    if not isinstance(loss, str) or loss not in LOSSES:
        raise SpecError(f"loss: unknown loss {_show(loss)} (use sse or cross_entropy)")
    if loss == "cross_entropy" and acts[-1] != "softmax":
        raise SpecError(f"loss: cross_entropy needs a softmax output layer, but activations[{L - 1}] is {acts[-1]!r}")

    weights = data["weights"]
    if not isinstance(weights, list) or len(weights) != L:
        raise SpecError(f"weights must be a list of {L} matrices, one per pair of adjacent layers")
    W = [
        _matrix(weights[l], f"weights[{l}]", layers[l + 1], layers[l], f"layer {l + 1}", f"layer {l}")
        for l in range(L)
    ]

    biases = data.get("biases")
    B = None
    if biases is not None:
        if not isinstance(biases, list) or len(biases) != L:
            raise SpecError(f"biases must be a list of {L} lists, one per non-input layer (or leave it out)")
        B = [_vector(biases[l], f"biases[{l}]", layers[l + 1], f"one per unit of layer {l + 1}") for l in range(L)]

    x = _vector(data["input"], "input", layers[0], "one per input unit")
    t = _vector(data["target"], "target", layers[-1], "one per output unit")
    if loss == "cross_entropy":
        if np.any(t < 0) or np.any(t > 1) or abs(t.sum() - 1.0) > 1e-9:
            raise SpecError(f"target: cross_entropy needs targets in [0, 1] summing to 1; these sum to {t.sum():.6g}")

    eta = data.get("learning_rate")
    if eta is not None:
        eta = _number(eta, "learning_rate")
        if eta <= 0:
            raise SpecError(f"learning_rate must be positive, got {_show(data['learning_rate'])}")

    description = data.get("description")
    if description is not None and not isinstance(description, str):
        raise SpecError("description must be a string")
    if description is not None and len(description) > MAX_DESCRIPTION_CHARS:
        raise SpecError(f"description has {len(description)} characters; at most {MAX_DESCRIPTION_CHARS}")
    if description is not None:
        description = printable(description)  # an escape sequence in a file must never reach a terminal
    return Spec(Network(W, B, list(acts), loss), x, t, eta, description)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return {list: "a list", dict: "an object", str: "a string"}.get(type(value), "a number")


def _key(key: str) -> str:
    return repr(printable(key, 40))


def _show(value: Any) -> str:
    text = json.dumps(value)  # NaN and Infinity come out spelled as in the file
    return text if len(text) <= 40 else text[:37] + "..."


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SpecError(f"{field} must be a number, got {_kind(value)} {_show(value)}")
    try:
        number = float(value)
    except OverflowError:
        raise SpecError(f"{field} is too large for a floating-point number") from None
    if not math.isfinite(number):  # json reads NaN, Infinity and -Infinity into floats
        raise SpecError(f"{field} must be a finite number, got {_show(value)}")
    return number


def _vector(value: Any, field: str, n: int, what: str) -> np.ndarray:
    if not isinstance(value, list):
        raise SpecError(f"{field} must be a list of {n} numbers ({what}), got {_kind(value)}")
    if len(value) != n:
        raise SpecError(f"{field} must have {n} numbers ({what}), got {len(value)}")
    return np.array([_number(v, f"{field}[{i}]") for i, v in enumerate(value)], dtype=float)


def _matrix(value: Any, field: str, rows: int, cols: int, to: str, frm: str) -> np.ndarray:
    if not isinstance(value, list):
        raise SpecError(f"{field} must be a list of {rows} rows, got {_kind(value)}")
    if len(value) != rows:
        raise SpecError(
            f"{field} must have {rows} rows (one per unit of {to}; indexed [k][j], receiving unit first), got {len(value)}"
        )
    return np.array(
        [_vector(row, f"{field}[{k}]", cols, f"one per unit of {frm}") for k, row in enumerate(value)], dtype=float
    ).reshape(rows, cols)
