"""One published cell of a performance file -> (number, marker), pure (no database)."""

from __future__ import annotations

import re

# --- Markers -------------------------------------------------------------------------------------

# Performance-table markers (DfE abbreviations workbook) and Explore Education Statistics symbols.
# Stored as "no value" with the marker: a marker is never zero and never rated.
DFE_MARKERS = ("SUPP", "NE", "NP", "NA", "NEW", "LOWCOV", "SP")
EES_MARKERS = ("c", "x", "z", "low", "u", ":")
OFSTED_MARKERS = ("NULL",)
BLANK = "BLANK"
KNOWN_MARKERS = DFE_MARKERS + EES_MARKERS + OFSTED_MARKERS

# Case-insensitive lookup for the DfE markers ("Supp" has been seen in hand-edited files);
# EES symbols are lower-case and kept as written.
_MARKER_LOOKUP = {m.upper(): m for m in DFE_MARKERS + OFSTED_MARKERS}
_MARKER_LOOKUP.update({m: m for m in EES_MARKERS})

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class CellError(ValueError):
    """A cell that is neither a number nor a known marker, or out of range. `expected` says what fits."""

    def __init__(self, message, expected):
        super().__init__(message)
        self.expected = expected


def parse_cell(text, unit="score"):
    """'45.50%' -> (45.5, ''), '52%' -> (52.0, ''), 'SUPP' -> (None, 'SUPP'), '' -> (None, 'BLANK').

    Raises CellError for text that is neither, and for a percentage outside 0-100.
    """
    raw = text.strip() if text else ""
    if not raw:
        return None, BLANK
    marker = _MARKER_LOOKUP.get(raw) or _MARKER_LOOKUP.get(raw.upper())
    if marker:
        return None, marker
    percent_sign = raw.endswith("%")
    number = raw[:-1].strip() if percent_sign else raw
    if not _NUMBER.match(number):
        raise CellError(
            f"'{_clip(raw)}' is neither a number nor a known marker",
            "a number (45.5, 45.50% or 52%) or a marker: " + ", ".join(KNOWN_MARKERS) + " or blank",
        )
    value = float(number)
    if unit == "percent" or percent_sign:
        if value > 100:
            raise CellError(f"percentage {_clip(raw)} is over 100", "a percentage from 0 to 100")
        if value < 0:
            raise CellError(f"percentage {_clip(raw)} is below 0", "a percentage from 0 to 100")
    return value, ""


def _clip(text, n=40):
    return text if len(text) <= n else text[: n - 1] + "…"
