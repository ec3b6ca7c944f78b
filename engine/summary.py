"""What a graded worksheet shows, in a few lines: which misconceptions came up, and where ("σ′ left out at both hidden units")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

from engine.answers import Verdict

if TYPE_CHECKING:
    from engine.worksheet import Worksheet

_UNIT_QUANTITIES = ("net", "activation", "output-delta", "hidden-delta", "bias-gradient", "bias-update")


@dataclass(frozen=True)
class Finding:
    """One misconception seen at one or more cells: its id, its label, the cells (working order), a sentence."""

    mistake: str
    label: str
    cells: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Summary:
    """A worksheet's graded cells sorted out.

    right: cells answered right; carried: cells whose method was right but worked from an earlier
    number that is off; unexplained: wrong cells no misconception explains; missing: cells not yet
    graded; findings: one per misconception seen, in the order it first appears.
    """

    right: tuple[str, ...]
    carried: tuple[str, ...]
    unexplained: tuple[str, ...]
    missing: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def complete(self) -> bool:
        """Every cell graded and right."""
        return not (self.carried or self.unexplained or self.missing or self.findings)

    def lines(self) -> list[str]:
        """The findings' sentences (empty when no misconception showed up)."""
        return [f.text for f in self.findings]


def summarize(ws: "Worksheet", verdicts: Mapping[str, Verdict]) -> Summary:
    """Sort the latest verdict of each graded cell into a Summary (addresses unknown to `ws` raise ValueError)."""
    for a in verdicts:
        ws.cell(a)
    right, carried, unexplained, missing = [], [], [], []
    seen: dict[str, list[str]] = {}
    for c in ws.cells:
        v = verdicts.get(c.address)
        if v is None:
            missing.append(c.address)
        elif v.correct:
            right.append(c.address)
        elif v.mistake:
            seen.setdefault(v.mistake, []).append(c.address)
        elif v.carried:
            carried.append(c.address)
        else:
            unexplained.append(c.address)
    findings = []
    for mistake, cells in seen.items():
        quantity = ws.cell(cells[0]).quantity
        label = ws.label(mistake, quantity)
        findings.append(Finding(mistake, label, tuple(cells), f"{label} at {where(ws, cells)}"))
    return Summary(tuple(right), tuple(carried), tuple(unexplained), tuple(missing), tuple(findings))


def where(ws: "Worksheet", cells: list[str]) -> str:
    """Where in the pass some cells are: "both hidden units", "all 3 output units", "δ_h1 and E";
    "both hidden units (net and a)" when one place holds cells of more than one kind."""
    groups: dict[tuple[str, int | None], list[str]] = {}
    for a in cells:
        c = ws.cell(a)
        groups.setdefault((c.quantity, c.layer), []).append(a)
    places: dict[str, list[str]] = {}  # a place phrase -> the kinds of cell found there, in order
    for (quantity, layer), members in groups.items():
        everyone = [c.address for c in ws.cells if c.quantity == quantity and c.layer == layer]
        if len(members) == len(everyone) >= 2:
            count = "both" if len(members) == 2 else f"all {len(members)}"
            place = _layer_name(ws, layer)
            phrase = (f"{count} {place} units" if quantity in _UNIT_QUANTITIES
                      else f"{count} weights into the {place} layer")
            places.setdefault(phrase, []).append(_KIND_NAMES[quantity])
        else:
            for a in members:
                places.setdefault(ws.cell(a).label, [])
    parts = [p if len(kinds) < 2 else f"{p} ({' and '.join(kinds)})" for p, kinds in places.items()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# What a whole group of cells is, to tell two groups at one place apart ("both hidden units (net and a)").
_KIND_NAMES = {
    "net": "net", "activation": "a", "output-delta": "δ", "hidden-delta": "δ", "weight-gradient": "∂E/∂w",
    "bias-gradient": "∂E/∂b", "weight-update": "w⁺", "bias-update": "b⁺",
}


def _layer_name(ws: "Worksheet", layer: int | None) -> str:
    depth = ws.setting.depth
    if layer == depth - 1:
        return "output"
    return "hidden" if depth == 2 else f"layer-{(layer or 0) + 1} hidden"
