"""Charts for printable reports, drawn as SVG geometry (PDFs run no JavaScript). Pure.

Shared by every programme's PDF; templates/partials/svg_chart.html draws them.
"""

from dataclasses import dataclass

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
    """Return the bars of a chart of ``values`` scaled to ``top`` (default: the largest)."""
    top = top or max([*values, 1])
    slot = (WIDTH - 2 * PAD) / max(len(values), 1)
    bars = []
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        height = (HEIGHT - AXIS - PAD) * (value / top if top else 0)
        x = PAD + i * slot + slot * 0.15
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(HEIGHT - AXIS - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=label,
                value=f"{value:g}" if isinstance(value, float) else str(value),
                colour=colours[i % len(colours)],
                label_x=round(x + slot * 0.35, 1),
            )
        )
    return {"bars": bars, "width": WIDTH, "height": HEIGHT, "axis_y": HEIGHT - AXIS}
