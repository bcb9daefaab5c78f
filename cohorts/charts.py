"""The completion chart: an SVG drawn on the server, with the same numbers as the table beside it."""

from dataclasses import dataclass

from .selectors import DayPoint

WIDTH, HEIGHT, PAD = 600, 160, 24


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    point: DayPoint


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    top: int  # the highest total: the top of the scale
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = HEIGHT - PAD


def completion_chart(points: list[DayPoint]) -> Chart:
    """One bar per day, as high as the modules completed so far."""
    top = max([point.total for point in points] + [1])
    step = (WIDTH - 2 * PAD) / max(len(points), 1)
    usable = HEIGHT - 2 * PAD
    bars = []
    for index, point in enumerate(points):
        height = usable * point.total / top
        x = PAD + index * step
        bars.append(
            Bar(round(x, 1), round(HEIGHT - PAD - height, 1), round(max(step - 2, 1), 1), round(height, 1), point)
        )
    return Chart(bars=bars, top=top)
