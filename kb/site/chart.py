"""A bar chart as a standalone SVG, written at build time (no chart service, no JavaScript).

Hand-written on purpose: one bar series with labels is ~40 lines, while a plotting library
(matplotlib) would add a heavy dependency to every site build.
"""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 640, 260
TOP, BOTTOM, LEFT, RIGHT = 36, 40, 40, 16


def bar_chart(title: str, bars: list[tuple[str, int]]) -> str:
    """SVG text of a vertical bar chart with a value above each bar and a label below it."""
    peak = max((value for _, value in bars), default=0) or 1
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(bars), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-label="{escape(title)}" font-family="sans-serif" font-size="13">',
        f"<title>{escape(title)}</title>",
        f'<text x="{LEFT}" y="20" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="#888"/>',
    ]
    for index, (label, value) in enumerate(bars):
        height = plot_h * value / peak
        x = LEFT + index * slot + slot * 0.15
        y = TOP + plot_h - height
        width = slot * 0.7
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="#3f51b5">'
                     f"<title>{escape(label)}: {value}</title></rect>")
        parts.append(f'<text x="{x + width / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{value}</text>')
        parts.append(f'<text x="{x + width / 2:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>\n")
    return "\n".join(parts)


def month_label(start: date) -> str:
    return start.strftime("%b %Y")
