"""Chart builders take plain lists and return plotly figure dicts; pages send them as JSON.

No inline script is allowed (CSP), so a page puts each figure in a
`<script type="application/json" class="pep-chart-data">` block (template include
`pep_portal/_chart.html`) and `static/pep/charts.js` draws every such block. Views that draw charts
are wrapped in `chart_page`, which loads plotly only there and lets plotly add its <style> elements.
"""

import json

from csp.decorators import csp_update

PALETTE = ["#1d4f6f", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#505a5f", "#28a197", "#912b88"]


def chart_page(view):
    # Plotly injects <style> elements at run time; only chart pages relax style-src for it.
    return csp_update({"style-src": ["'unsafe-inline'"]})(view)


def line_chart(title, x, series, *, y_title="", x_title="Academic year"):
    """series: [(name, [y values, None for a gap]), ...] against the shared x list."""
    traces = [
        {"type": "scatter", "mode": "lines+markers", "name": name, "x": list(x), "y": list(ys),
         "line": {"color": PALETTE[i % len(PALETTE)], "dash": "solid" if i == 0 else "dash"},
         "connectgaps": False}
        for i, (name, ys) in enumerate(series)
    ]
    return _figure(title, traces, x_title, y_title)


def bar_chart(title, categories, series, *, y_title="", x_title="", stacked=False):
    traces = [
        {"type": "bar", "name": name, "x": list(categories), "y": list(ys), "marker": {"color": PALETTE[i % len(PALETTE)]}}
        for i, (name, ys) in enumerate(series)
    ]
    figure = _figure(title, traces, x_title, y_title)
    figure["layout"]["barmode"] = "stack" if stacked else "group"
    return figure


def _figure(title, traces, x_title, y_title):
    return {
        "data": traces,
        "layout": {
            "title": {"text": title},
            "xaxis": {"title": {"text": x_title}, "type": "category"},
            "yaxis": {"title": {"text": y_title}},
            "font": {"family": "arial, sans-serif", "size": 14, "color": "#0b0c0c"},
            "legend": {"orientation": "h", "y": -0.25},
            "margin": {"l": 60, "r": 20, "t": 50, "b": 80},
        },
        "config": {"displaylogo": False, "responsive": True},
    }


def to_json(figure):
    # Escape "<" so the JSON can never close its <script> element.
    return json.dumps(figure, separators=(",", ":")).replace("<", "\\u003c")
