"""Published figures written as text, the one home for it (reasons, tables, reports, exports).

Pure Python: the rating engine imports it, and it must not pull Django in.
"""


def figure(x):
    """A figure as published: 65 -> "65", 104.5 -> "104.5", -0.25 -> "-0.25"; none -> "-"."""
    if x is None:
        return "-"
    x = round(float(x), 2)
    if x == 0:
        return "0"
    return f"{x:.2f}".rstrip("0").rstrip(".")


def figure_with_unit(x, unit):
    """A figure with its unit sign: 65 percent -> "65%", a score bare."""
    return figure(x) + ("%" if unit == "percent" and x is not None else "")
