"""Chart builders take plain lists and return plotly figure dicts; pages send them as JSON.

No inline script is allowed (CSP), so a page puts each figure in a
`<script type="application/json" class="pep-chart-data">` block (template include
`pep_portal/_chart.html`) and `static/pep/charts.js` draws every such block. Views that draw charts
are wrapped in `chart_page`, which loads plotly only there and lets plotly add its <style> elements.
"""

import json

from csp.decorators import csp_update

# Red, amber and green mean bands on this site, so no series is ever drawn in them. England and the
# LA (or its neighbours) are comparators: always the same two neutral colours and dashes, on every page.
ENGLAND_COLOUR = "#505a5f"  # grey, dashed
LA_COLOUR = "#6f72af"  # light purple, dotted
PALETTE = ["#1d4f6f", "#912b88", "#5694ca", "#4c2c92", "#0b0c0c", "#b1b4b6"]
BAND_COLOURS = {"#d4351c", "#f47738", "#ffdd00", "#00703c", "#85994b"}  # GOV.UK red, orange, yellow, greens


def chart_page(view):
    # Plotly injects <style> elements at run time; only chart pages relax style-src for it.
    return csp_update({"style-src": ["'unsafe-inline'"]})(view)


def line_chart(title, x, series, *, y_title="", x_title="Academic year", la_names=(), height=None):
    """series: [(name, [y values, None for a gap]), ...] against the shared x list. A series named
    "England..." or "LA..." (or listed in la_names) is drawn as that comparator; the rest take the palette."""
    traces, others = [], 0
    for name, ys in series:
        if name.startswith("England"):
            colour, dash = ENGLAND_COLOUR, "dash"
        elif name.startswith(("LA", "Statistical neighbours")) or name in la_names:
            colour, dash = LA_COLOUR, "dot"
        else:
            colour, dash = PALETTE[others % len(PALETTE)], "solid" if others == 0 else "dashdot"
            others += 1
        traces.append({"type": "scatter", "mode": "lines+markers", "name": name, "x": list(x), "y": list(ys),
                       "line": {"color": colour, "dash": dash, "width": 3 if dash == "solid" else 2},
                       "connectgaps": False})
    figure = _figure(title, traces, x_title, y_title)
    if height:
        figure["layout"]["height"] = height
    return figure


def bar_chart(title, categories, series, *, y_title="", x_title="", stacked=False):
    traces = [
        {"type": "bar", "name": name, "x": list(categories), "y": list(ys), "marker": {"color": PALETTE[i % len(PALETTE)]}}
        for i, (name, ys) in enumerate(series)
    ]
    figure = _figure(title, traces, x_title, y_title)
    figure["layout"]["barmode"] = "stack" if stacked else "group"
    return figure


def _figure(title, traces, x_title, y_title):
    # The page's heading names each chart, so the figure has no title of its own; the legend sits above
    # the plot and wraps there, where it cannot overlap the axis labels on a 320 px screen.
    return {
        "data": traces,
        "layout": {
            "title": {"text": ""},
            "meta": {"title": title},
            "xaxis": {"title": {"text": x_title}, "type": "category", "automargin": True},
            "yaxis": {"title": {"text": y_title}, "automargin": True},
            "font": {"family": "arial, sans-serif", "size": 14, "color": "#0b0c0c"},
            "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
            "margin": {"l": 50, "r": 10, "t": 10, "b": 40},
        },
        "config": {"displaylogo": False, "responsive": True},
    }


def to_json(figure):
    # Escape "<" so the JSON can never close its <script> element.
    return json.dumps(figure, separators=(",", ":")).replace("<", "\\u003c")
