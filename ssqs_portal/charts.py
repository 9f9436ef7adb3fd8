"""Charts for printable reports, drawn as SVG geometry (PDFs run no JavaScript). Pure.

Shared by every programme's PDF; templates/partials/svg_chart.html draws them.
"""

from dataclasses import dataclass

from .numbers import exact, fixed

WIDTH, HEIGHT, PAD, AXIS = 300, 150, 6, 18


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    colour: str
    label_x: float


def bar_chart(values, labels, colours, top=None):
    """Return the bars of a chart of ``values`` scaled to ``top`` (default: the largest).

    A value is a count (shown as it is) or a figure (shown with two decimals,
    halves up, as on every page: ssqs_portal.numbers.fixed). None is a value
    that does not exist yet (an activity not held): no bar, and a dash, never 0.
    """
    known = [exact(v) for v in values if v is not None]
    top = exact(top) if top else max([*known, 1])
    slot = (WIDTH - 2 * PAD) / max(len(values), 1)
    bars = []
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        share = float(exact(value) / top) if value is not None and top else 0
        height = (HEIGHT - AXIS - PAD) * share
        x = PAD + i * slot + slot * 0.15
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(HEIGHT - AXIS - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=label,
                value=str(value) if isinstance(value, int) else fixed(value),
                colour=colours[i % len(colours)],
                label_x=round(x + slot * 0.35, 1),
            )
        )
    return {"bars": bars, "width": WIDTH, "height": HEIGHT, "axis_y": HEIGHT - AXIS}
