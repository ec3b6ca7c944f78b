"""What the worksheet screen shows in place of the picture: the summary of the pass, and the finite-difference probe."""

from __future__ import annotations

from rich.text import Text

from engine.answers import format_number
from tutor.worksheet_session import PROBE_AGREES, WorksheetSession

RIGHT, WRONG, CARRIED = "green", "bold red", "yellow"


def _labels(session: WorksheetSession, addresses) -> str:
    return ", ".join(session.ws.cell(a).label for a in addresses)


def summary_text(session: WorksheetSession) -> Text:
    """Which misconceptions showed up and where, what was carried forward, what is still open."""
    s = session.summary()
    n = len(session.ws.cells)
    out = Text()
    done = not s.missing
    out.append("The whole pass\n" if done else "The pass so far\n", style="bold")
    out.append(f"{len(s.right)} of {n} cells right", style=RIGHT if s.right else "")
    if s.carried:
        out.append(f", {len(s.carried)} carried forward", style=CARRIED)
    wrong = sum(len(f.cells) for f in s.findings) + len(s.unexplained)
    if wrong:
        out.append(f", {wrong} wrong", style=WRONG)
    if s.missing:
        out.append(f", {len(s.missing)} not answered yet")
    out.append(".\n")
    if s.complete:
        out.append("\nEvery cell is right: the forward pass, the error, every δ, gradient and update.\n", style=RIGHT)
    if s.findings:
        out.append("\nMisconceptions that showed up:\n", style="bold")
        for f in s.findings:
            out.append(f"  • {f.text}\n", style=WRONG)
    if s.carried:
        out.append("\nMethod right, but worked from an earlier number that is off:\n", style="bold")
        for a in s.carried:
            verdict = session.verdicts[a]
            out.append(f"  • {session.ws.cell(a).label}, from your {_labels(session, verdict.carried)}\n", style=CARRIED)
    if s.unexplained:
        out.append("\nWrong, and no known slip gives these numbers: ", style="bold")
        out.append(_labels(session, s.unexplained) + "\n", style=WRONG)
    if s.findings or s.carried or s.unexplained:
        out.append("\nPut the first wrong cell right: the cells after it are marked again from your new number.",
                   style="dim")
    return out


def probe_text(session: WorksheetSession, rows) -> Text:
    """The learner's gradients beside central finite differences of E, and where the two disagree."""
    out = Text()
    out.append("Finite-difference probe of your gradients\n", style="bold")
    out.append("each weight or bias nudged by ±ε (ε = 10⁻⁶), E worked out again: (E(w + ε) − E(w − ε)) / 2ε\n\n",
               style="dim")
    if not rows:
        out.append("You have not answered a gradient cell yet: the probe checks your own numbers, so answer "
                   "one first.", style="dim")
        return out
    width = max(len(r.label) for r in rows) + 2
    out.append(f"{'gradient':<{width}}{'yours':>12}{'probe':>12}  agree?\n", style="bold")
    for r in rows:
        out.append(f"{r.label:<{width}}{format_number(r.yours):>12}{format_number(r.probe):>12}  ")
        out.append("yes\n" if r.agrees else "no: they differ\n", style=RIGHT if r.agrees else WRONG)
    off = [r for r in rows if not r.agrees]
    out.append("\n")
    if off:
        out.append(f"{len(off)} of your {len(rows)} gradients disagree with the probe: "
                   + ", ".join(r.label for r in off) + ".", style=WRONG)
    else:
        out.append(f"All {len(rows)} of your gradients agree with the probe.", style=RIGHT)
    out.append(f"\n(Agreement: a relative difference under {PROBE_AGREES:g}, as your numbers are rounded.)", style="dim")
    return out
