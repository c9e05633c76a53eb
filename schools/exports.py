"""CSV export with formula-injection escaping: text cells starting with = + - @ (or tab/CR) get a
leading apostrophe; numbers, including negative ones, stay numbers."""

import csv

from django.http import StreamingHttpResponse

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    if text.startswith(DANGEROUS):
        try:
            float(text)
            return text  # a negative number written as text is still a number
        except ValueError:
            return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def csv_response(filename, header, rows):
    """rows: an iterable of lists. Streams, so a large export does not sit in memory."""
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # Excel opens UTF-8 CSV correctly with a byte-order mark
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
