"""A bar chart as SVG, drawn from the same figures as the table it stands beside. No Django here.

The HTML page and the PDF show it as an image with a text alternative; the table that follows it
carries every figure, so the chart adds a picture, never a number of its own. Every bar has its value
written beside it and each series a written name, so colour is never the only signal.
"""

import base64
from dataclasses import dataclass
from xml.sax.saxutils import escape

COLOURS = ("#1d70b8", "#f47738", "#00703c", "#4c2c92")  # GOV.UK blue, orange, green, purple
FONT = "Liberation Sans, Arial, sans-serif"


@dataclass(frozen=True)
class BarChart:
    title: str
    categories: tuple  # e.g. term names
    series: tuple  # ((name, (value per category, ...)), ...)

    @property
    def alt(self):
        names = " and ".join(name for name, _ in self.series)
        return f"Bar chart: {self.title}, {names} for each of {len(self.categories)}; the figures are in the table."

    def svg(self, width=640):
        bar, gap, label_w = 18, 14, 190
        rows = len(self.categories) * (bar * len(self.series) + gap)
        height = 40 + rows + 10
        top = max((v for _, values in self.series for v in values), default=0) or 1
        scale = (width - label_w - 60) / top
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                 f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="13">']
        x = label_w
        for i, (name, _) in enumerate(self.series):  # the legend: a swatch and the series' name
            parts.append(f'<rect x="{x}" y="6" width="14" height="14" fill="{COLOURS[i % 4]}"/>'
                         f'<text x="{x + 20}" y="18">{escape(name)}</text>')
            x += 30 + 8 * len(name)
        y = 36
        for c, category in enumerate(self.categories):
            parts.append(f'<text x="0" y="{y + bar}">{escape(str(category))}</text>')
            for i, (_, values) in enumerate(self.series):
                value = values[c]
                length = max(value * scale, 0)
                parts.append(f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar - 2}" '
                             f'fill="{COLOURS[i % 4]}"/><text x="{label_w + length + 6:.1f}" y="{y + bar - 5}">'
                             f"{value:,}</text>")
                y += bar
            y += gap
        parts.append("</svg>")
        return "".join(parts)

    def data_uri(self):
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg().encode()).decode()
