"""The σ and σ′ curves, plotted in braille: σ′ peaks at ¼ where σ crosses ½."""

from __future__ import annotations

import math

from rich.text import Text

from tutor.widgets.canvas import BraillePlot, Canvas

SIGMA, PRIME, GUIDE = "bold #5fafff", "bold #ff8700", "dim"
X_MIN, X_MAX = -6.0, 6.0


def _sigma(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def curves_picture(width: int = 60, height: int = 12) -> Text:
    """σ(x) and σ′(x) = σ(x)(1 − σ(x)) on −6 ≤ x ≤ 6, 0 ≤ y ≤ 1, with the ¼ line marked."""
    left = 5  # room for the y labels
    canvas = Canvas(left + width + 1, height + 2)
    plot = BraillePlot(width, height)
    px_w, px_h = width * 2, height * 4

    def to_py(y: float) -> int:
        return round((1.0 - y) * (px_h - 1))

    for px in range(px_w):
        x = X_MIN + (X_MAX - X_MIN) * px / (px_w - 1)
        s = _sigma(x)
        plot.point(px, to_py(s * (1 - s)), PRIME)
        plot.point(px, to_py(s), SIGMA)
    quarter_row = to_py(0.25) // 4
    half_row = to_py(0.5) // 4
    for col in range(0, width, 2):
        canvas.put(left + col, quarter_row, "┄", GUIDE)
    zero_col = left + width // 2
    for row in range(height):
        canvas.put(zero_col, row, "┆", GUIDE)
    plot.draw_onto(canvas, left, 0)
    for row, label in ((0, "1"), (half_row, "½"), (quarter_row, "¼"), (height - 1, "0")):
        canvas.put(0, row, f"{label:>3} ┤", GUIDE)
    canvas.put(left, height, "└" + "─" * (width - 1), GUIDE)
    for value in (-6, -3, 0, 3, 6):
        col = left + round((value - X_MIN) / (X_MAX - X_MIN) * (width - 1))
        text = f"{value}" if value <= 0 else f"{value}"
        canvas.put(col - len(text) // 2, height + 1, text.replace("-", "−"), GUIDE)
    picture = canvas.text()
    picture.append("\n")
    picture.append("━ σ(x)", style=SIGMA)
    picture.append("   ")
    picture.append("━ σ′(x) = σ(x)(1 − σ(x))", style=PRIME)
    return picture
