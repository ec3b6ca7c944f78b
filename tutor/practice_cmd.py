"""`backprop-tutor practice [SPEC.json | --example NAME]`: the whole backward pass as a worksheet, graded cell by cell."""

from __future__ import annotations

import argparse

from engine.safe_text import printable
from tutor.output import error

EPILOG = """\
Without SPEC.json a network is drawn for you (2-2-2, sigmoid, squared error,
biases and a learning rate); F4 in the worksheet draws new numbers, and
--seed N draws the same numbers every time. With SPEC.json (the format of
`backprop-tutor solve --help`) or --example NAME (see `backprop-tutor
examples`) you fill in the pass of that network, such as your textbook's.
Your answers are kept: opening the same network again carries on.
"""


def add_parser(subparsers, parents) -> argparse.ArgumentParser:
    """Add the `practice` subcommand to the CLI's subparsers."""
    parser = subparsers.add_parser(
        "practice", parents=parents,
        help="the whole backward pass as a worksheet, graded cell by cell",
        description="Fill in every net, a, E, δ, gradient and update of one network; each cell is marked\n"
        "right, wrong with the mistake it looks like, or right in method but carried from an earlier cell.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("spec", metavar="SPEC.json", nargs="?", help="your own network and example (as for solve)")
    parser.add_argument("--example", metavar="NAME", help="a shipped example network instead of a file")
    return parser


def start(args: argparse.Namespace) -> tuple[str, ...] | int:
    """What the app opens with: ("practice",) for a drawn network, ("practice-spec", NAME, TEXT) for a
    network from a file; or the exit status 2 after one line on stderr for a bad command line or file."""
    example = getattr(args, "example", None)
    if args.spec is not None and example is not None:
        return error("give either SPEC.json or --example NAME, not both")
    if args.spec is None and example is None:
        return ("practice",)
    if getattr(args, "seed", None) is not None:
        return error("--seed draws a network, so it goes without SPEC.json or --example")
    from engine.spec import SpecError, parse_spec_text, read_spec_file
    from engine.worksheet import Worksheet
    from tutor.worksheet_session import MAX_CELLS

    if example is not None:
        from tutor import examples

        try:
            path, name = examples.path(example), example
        except KeyError as exc:
            return error(str(exc.args[0]))
    else:
        path, name = args.spec, printable(args.spec, 200)
    try:
        text = read_spec_file(path)
        spec = parse_spec_text(text, name)
    except SpecError as exc:
        return error(str(exc))
    cells = cell_count(spec)
    if cells > MAX_CELLS:
        return error(f"{name}: its worksheet would have {cells} cells, more than the {MAX_CELLS} of a pass by hand; "
                     "`backprop-tutor solve` works it out instead")
    try:
        Worksheet(spec)
    except (ValueError, ArithmeticError) as exc:  # numbers the pass cannot be worked out with
        return error(f"{name}: this network cannot be made into a worksheet ({exc})")
    return ("practice-spec", name, text)


def cell_count(spec) -> int:
    """How many cells the worksheet of a spec has (net, a, δ per unit, E, the gradients, the updates)."""
    sizes = spec.network.sizes
    units = sum(sizes[1:])
    weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
    biases = units if spec.network.biases is not None else 0
    updates = weights + biases if spec.learning_rate is not None else 0
    return 3 * units + 1 + weights + biases + updates
