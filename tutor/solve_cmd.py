"""`backprop-tutor solve SPEC.json`: the worked forward and backward pass for a network in a file."""

from __future__ import annotations

import argparse
import json
import sys

from engine.safe_text import printable
from tutor.output import OutputError, error, silence_stdout

EPILOG = """\
SPEC.json describes one network and one example, for instance:

  {
    "layers": [2, 2, 2],
    "activations": ["sigmoid", "sigmoid"],
    "loss": "sse",
    "weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
    "biases": [[0.35, 0.35], [0.60, 0.60]],
    "input": [0.05, 0.10],
    "target": [0.01, 0.99],
    "learning_rate": 0.5
  }

fields:
  layers         units per layer, input layer first
  activations    one per non-input layer: sigmoid, tanh, relu, linear,
                 softmax (output layer only)
  loss           sse = ½·Σ_k (t_k − a_k)²  -- note the ½: ∂E/∂a_k = a_k − t_k
                 cross_entropy = −Σ_k t_k·ln a_k  (softmax output; targets in
                 [0, 1] summing to 1); optional, default sse
  weights        weights[l][k][j]: from unit j of layer l to unit k of layer
                 l+1 (receiving unit first, so net = W·a)
  biases         optional; biases[l][k] for unit k of layer l+1
  input, target  one example: numbers, one per input / output unit
  learning_rate  optional η; when given, the updated weights are shown
  description    optional text shown above the solution

Units are labelled i1, i2 (inputs), h1, h2 (hidden), o1, o2 (outputs) in a
three-layer network, so w_h1o2 is the weight from h1 to o2; deeper networks
write the layer as a superscript: a_1^(2), w_12^(2).
Examples ship with the tutor: `backprop-tutor examples` lists them, and
`backprop-tutor solve --example mazur` solves Matt Mazur's published worked
example (no file needed).
"""


def add_parser(subparsers, parents) -> argparse.ArgumentParser:
    """Add the `solve` subcommand to the CLI's subparsers."""
    parser = subparsers.add_parser(
        "solve",
        parents=parents,
        help="the worked backward pass for a network described in a JSON file",
        description="Print the forward pass, the error, every δ with its formula filled in, every\n"
        "gradient and (given a learning rate) the updated weights, for the network in\nSPEC.json.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("spec", metavar="SPEC.json", nargs="?", help="the network and example (format below)")
    parser.add_argument("--example", metavar="NAME",
                        help="solve a shipped example instead of a file (see `backprop-tutor examples`)")
    parser.add_argument("--json", action="store_true", help="print the numbers as one JSON object, full precision")
    parser.add_argument(
        "--check", action="store_true", help="confirm every gradient by central finite differences (relative error shown)"
    )
    return parser


def _error(message: str, status: int = 2) -> int:
    return error(message, status)


def _source(args: argparse.Namespace) -> str | None:
    """The spec file to read: SPEC.json or the shipped example named by --example (None after a complaint)."""
    example = getattr(args, "example", None)
    if (args.spec is None) == (example is None):
        _error("give either SPEC.json or --example NAME (see `backprop-tutor examples`)")
        return None
    if example is None:
        return args.spec
    from tutor import examples

    try:
        return str(examples.path(example))
    except KeyError as exc:
        _error(str(exc.args[0]))
        return None


def run(args: argparse.Namespace) -> int:
    """Solve the spec named in args; 0 on success, 2 with one line on stderr for a bad spec."""
    import numpy as np

    from engine.spec import SpecError, load_spec
    from engine.worked import solve, to_json

    source = _source(args)
    if source is None:
        return 2
    try:
        spec = load_spec(source)
    except SpecError as exc:
        return _error(str(exc))
    shown = args.example or printable(source, 200)
    try:
        # extreme but finite inputs are handled; beyond that (net past ~1e308) is refused, not printed as inf
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            sol = solve(spec.network, spec.input, spec.target, spec.learning_rate, check=args.check)
            payload = to_json(sol) if args.json else None
    except (FloatingPointError, OverflowError):
        return _error(f"{shown}: the numbers overflow floating point (a net or E beyond ~1e308); use smaller weights or inputs")

    if sys.stdout is None:
        raise OutputError("standard output is closed")
    try:
        if args.json:
            # one key per line, each value compact: readable, and still one JSON object (ASCII only)
            body = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, allow_nan=False)}" for k, v in payload.items())
            print("{\n" + body + "\n}")
        else:
            _print_worked(spec, sol, shown)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader (e.g. `head`) went away: not an error worth a traceback
        silence_stdout()
    except (OSError, ValueError) as exc:  # a full disk, a closed stream
        silence_stdout()
        raise OutputError(getattr(exc, "strerror", None) or str(exc) or type(exc).__name__) from None
    return 0


def _print_worked(spec, sol, path: str) -> None:
    from rich.console import Console
    from rich.text import Text

    from engine.worked import worked_sections

    _make_stdout_safe()
    class _Console(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError  # handled in run(); rich's default exits with status 1

    import shutil
    import textwrap

    from tutor.layout import fit_display

    console = _Console(file=sys.stdout, soft_wrap=True, highlight=False)
    # as wide as the terminal, and 80 columns when the output goes to a file or a pipe
    width = max(40, shutil.get_terminal_size((80, 24)).columns)
    net = spec.network
    loss = "sse: E = ½Σ_k (t_k − a_k)²" if net.loss == "sse" else "cross_entropy: E = −Σ_k t_k ln a_k"
    # the description is made printable on loading; the path here
    console.print(Text("\n".join(textwrap.wrap(spec.description or printable(path), width, break_on_hyphens=False)),
                       style="bold"))
    header = (f"layers {'-'.join(map(str, net.sizes))}, activations {', '.join(net.activations)}, loss {loss}, "
              f"{'with' if net.biases is not None else 'no'} biases")
    console.print(Text("\n".join(textwrap.wrap(header, width)), style="dim"))
    for section in worked_sections(sol):
        console.print()
        console.print(Text(section.title, style="bold cyan"))
        for line in section.lines:
            # each line of working broken before an operator when it is too wide, as in the lessons
            for part in fit_display(line, width - 2).split("\n"):
                console.print(Text("  " + part))


def _make_stdout_safe() -> None:
    """On a terminal that cannot show σ, δ or ², replace them rather than crash."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        "σδ−²⁺½Σ∂·".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="replace")
