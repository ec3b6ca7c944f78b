"""The generated misconceptions at a lesson's number step whose reference is an engine quantity (its `engine_value`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.scenarios import Draw
    from engine.worksheet import Worksheet

Generated = tuple[tuple[str, str, float], ...]  # (misconception id, quantity, value)


def worksheet_for(draw: "Draw") -> "Worksheet | None":
    """The worksheet of the network a draw was computed on, or None when the draw has none.

    The network is the context's "network" (or "unit", a single layer) with its "x" and "t"; the
    learning rate is the draw's value `eta` when it has one.
    """
    ctx: Any = draw.context
    if not isinstance(ctx, dict):
        return None
    net = ctx.get("network", ctx.get("unit"))
    if net is None or ctx.get("x") is None or ctx.get("t") is None:
        return None
    from engine.spec import Spec  # numpy and the engine's pass: loaded only once numbers are drawn
    from engine.worksheet import Worksheet

    return Worksheet(Spec(net, ctx["x"], ctx["t"], draw.values.get("eta")))


def generated_mistakes(engine_value: str | None, draw: "Draw", sheet: "Worksheet | None") -> Generated:
    """(id, quantity, value) of every misconception at the cell that `engine_value` names, with the
    draw's true numbers (at full precision and as shown); empty when the value is no cell of the
    draw's network.

    A value names a cell by the cell's `name` (delta_h1, gw_h1o2, wnew_h1o1, …), or through the
    context's "cells" map {value name: address} where a scenario labels its units otherwise. The
    cell's true value must equal the draw's value, so a name can never pick the wrong quantity.
    """
    if sheet is None or not engine_value or engine_value not in draw.values:
        return ()
    names = draw.context.get("cells") or {c.name: c.address for c in sheet.cells}
    address = names.get(engine_value)
    if address is None:
        return ()
    cell = sheet.cell(address)
    expected = float(draw.values[engine_value])
    if abs(cell.value - expected) > 1e-9 * max(1.0, abs(expected)):
        return ()
    return tuple((mistake, cell.quantity, value) for mistake, value in sheet.misconceptions(address))
