"""A small inline SVG line chart of the monthly sentiment trend (no JavaScript, no CDN)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 640, 220, 36


@dataclass
class Chart:
    width: int
    height: int
    points: str  # the polyline's "x,y x,y ..."
    dots: list[dict]
    zero_y: float
    top_y: float
    bottom_y: float
    labels: list[dict]


def trend_chart(trend: list[dict]) -> Chart | None:
    """Score (-1..1) per month as a line; None when there is nothing to draw."""
    if not trend:
        return None
    inner_w = WIDTH - 2 * PAD
    inner_h = HEIGHT - 2 * PAD
    step = inner_w / max(1, len(trend) - 1)

    def y(score: float) -> float:
        return round(PAD + (1 - (max(-1.0, min(1.0, score)) + 1) / 2) * inner_h, 1)

    dots = []
    for index, row in enumerate(trend):
        x = round(PAD + (index * step if len(trend) > 1 else inner_w / 2), 1)
        dots.append(
            {
                "x": x,
                "y": y(row["score"]),
                "score": row["score"],
                "count": row["count"],
                "month": row["month"],
            }
        )
    every = max(1, len(trend) // 8)
    labels = [
        {"x": dot["x"], "text": dot["month"].strftime("%Y-%m")}
        for index, dot in enumerate(dots)
        if index % every == 0
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=" ".join(f"{dot['x']},{dot['y']}" for dot in dots),
        dots=dots,
        zero_y=y(0.0),
        top_y=y(1.0),
        bottom_y=y(-1.0),
        labels=labels,
    )
