"""School list exports (CSV and XLSX): URN, name, priority, best fit, and per core measure its band, the
academic year its value is from (each kind of file its own latest year), value and comparator. Text that starts with = + - @ is escaped so no spreadsheet runs it; numbers stay numbers."""

import io

from django.http import HttpResponse

from schools.exports import csv_response, safe_cell
from schools.years import year_label

from .models import MeasureRating
from .tables import BAND_LABELS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header(core_codes):
    head = ["URN", "name", "priority", "best_fit_priority", "changed_since_last_run", "reasons"]
    for code in core_codes:
        head += [code, f"{code}_year", f"{code}_value", f"{code}_comparator"]
    return head


def rows(ratings_qs, core_codes):
    """One list per school; the figures come from one query over the run's measure rows."""
    ratings_qs = ratings_qs.select_related("school").order_by("school__name", "school__urn")
    for chunk in _chunks(ratings_qs.iterator(chunk_size=2000), 2000):
        figures = {}
        for rating_id, code, year, value, comparator in MeasureRating.objects.filter(
            school_rating_id__in=[r.id for r in chunk], measure_code__in=core_codes
        ).values_list("school_rating_id", "measure_code", "year", "value", "comparator"):
            figures[(rating_id, code)] = (year_label(year) if year is not None else "", value, comparator)
        for r in chunk:
            row = [r.school.urn, r.school.name, int(r.priority) if r.priority else "Not rated",
                   int(r.override_priority) if getattr(r, "override_priority", None) else "",
                   "Yes" if r.changed else "No", r.reasons]
            for code in core_codes:
                year, value, comparator = figures.get((r.id, code), ("", None, None))
                row += [BAND_LABELS.get(r.bands.get(code, ""), ""), year, value, comparator]
            yield row


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def as_csv(ratings_qs, core_codes, filename="school-ratings.csv"):
    return csv_response(filename, header(core_codes), rows(ratings_qs, core_codes))


def xlsx_text(value):
    """Text an XLSX cell can hold: XML 1.0 has no place for most control characters (a school name
    carrying one made openpyxl raise), so each becomes U+FFFD, visibly replaced rather than lost."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


def as_xlsx(ratings_qs, core_codes, filename="school-ratings.xlsx"):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Ratings")
    sheet.append(header(core_codes))
    for row in rows(ratings_qs, core_codes):
        cells = []
        for value in row:
            value = xlsx_text(safe_cell(value))
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                # openpyxl would store text starting with "=" as a formula: force it to be text.
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
