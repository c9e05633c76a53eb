"""The one bulk writer: plain rows straight into a model's table, set-based, on SQLite and PostgreSQL.

    upsert(Model, fields, rows, unique=(...), update=(...))  # insert, or update the rows that differ
    insert(Model, fields, rows)                               # insert only

`fields` are the model's field names or attnames (e.g. "school_id"); `rows` any iterable of
sequences in that order, holding values the database driver takes: None, bool, int, float, Decimal,
str (JSON already dumped), date and datetime. NUL characters are dropped from text (PostgreSQL
refuses them). Building model instances for bulk_create took several times as long as the database
did for the imports' and rating runs' tens of thousands of rows: these send plain tuples.

PostgreSQL: COPY into a temporary staging table, then one INSERT ... SELECT ... ON CONFLICT (COPY
is about twice as fast as multi-row VALUES statements). SQLite: multi-row INSERT ... VALUES ...
ON CONFLICT statements batched under its variable limit. A conflicting row is updated only when
one of its `update` columns differs, so unchanged rows are never touched; both return the number
of rows inserted or changed.
"""

import datetime
import io
from decimal import Decimal

from django.db import connections, router, transaction

SQLITE_VARIABLES = 30000  # under SQLite's 32,766 bound variables per statement
MAX_BATCH_ROWS = 1000
COPY_CHUNK_ROWS = 20000


def upsert(model, fields, rows, *, unique, update=()):
    """Insert `rows`, or update a conflicting row's `update` columns where they differ. Rows written."""
    return _write(model, fields, rows, unique=unique, update=update)


def insert(model, fields, rows):
    """Insert `rows` (no conflict handling). Rows written."""
    return _write(model, fields, rows, unique=None, update=())


def _write(model, fields, rows, *, unique, update):
    connection = connections[router.db_for_write(model)]
    table = _Table(model, connection, fields, unique, update)
    with transaction.atomic(using=connection.alias, savepoint=False):
        if connection.vendor == "postgresql":
            return _copy(connection, table, rows)
        return _values(connection, table, rows)


class _Table:
    """Quoted names and the statement pieces for one write."""

    def __init__(self, model, connection, fields, unique, update):
        meta = model._meta
        qn = connection.ops.quote_name
        self.fields = [meta.get_field(name) for name in fields]
        self.name = qn(meta.db_table)
        self.columns = ", ".join(qn(f.column) for f in self.fields)
        self.conflict = self._conflict(meta, qn, unique, update, connection.vendor)
        self.stage = qn(f"pep_stage_{meta.db_table}")

    def _conflict(self, meta, qn, unique, update, vendor):
        if unique is None:
            return ""
        keys = ", ".join(qn(meta.get_field(n).column) for n in unique)
        if not update:
            return f" ON CONFLICT ({keys}) DO NOTHING"
        cols = [qn(meta.get_field(n).column) for n in update]
        differs = " IS DISTINCT FROM " if vendor == "postgresql" else " IS NOT "
        sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in cols)
        where = " OR ".join(f"{self.name}.{c}{differs}EXCLUDED.{c}" for c in cols)
        return f" ON CONFLICT ({keys}) DO UPDATE SET {sets} WHERE {where}"


# ------------------------------------------------------------------------------------------- SQLite
def _values(connection, table, rows):
    adapters = _adapters(connection, table.fields)
    width = len(table.fields)
    batch = max(1, min(MAX_BATCH_ROWS, SQLITE_VARIABLES // width))
    one = "(" + ", ".join(["%s"] * width) + ")"
    # Identifiers come from model metadata, quoted; every value is a parameter.
    head = f"INSERT INTO {table.name} ({table.columns}) VALUES "  # noqa: S608
    written = 0
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, batch):
            cursor.execute(head + ", ".join([one] * len(chunk)) + table.conflict, _params(chunk, adapters))
            written += cursor.rowcount
    return written


def _adapters(connection, fields):
    """Per column: None (sent as it is), a text cleaner, or a remembered datetime adaptation."""
    out = []
    for f in fields:
        kind = f.get_internal_type()
        if kind == "DateTimeField":
            out.append(_memo_datetime(connection))
        elif kind in ("CharField", "TextField", "SlugField", "EmailField", "URLField"):
            out.append(_clean_text)
        else:
            out.append(None)
    return out if any(out) else None


def _params(chunk, adapters):
    if adapters is None:
        return [v for row in chunk for v in row]
    pairs = list(enumerate(adapters))
    return [row[i] if adapt is None else adapt(row[i]) for row in chunk for i, adapt in pairs]


def _clean_text(value):
    return value.replace("\x00", "") if value.__class__ is str and "\x00" in value else value


def _memo_datetime(connection):
    """SQLite stores datetimes as naive UTC text: adapt each distinct value once (an import shares one)."""
    done = {}

    def adapt(value):
        if value is None or isinstance(value, str):
            return value
        if value not in done:
            done[value] = connection.ops.adapt_datetimefield_value(value)
        return done[value]

    return adapt


def _chunks(rows, size):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --------------------------------------------------------------------------------------- PostgreSQL
def _copy(connection, table, rows):
    target = table.stage if table.conflict else table.name
    copy_sql = f"COPY {target} ({table.columns}) FROM STDIN WITH (FORMAT csv)"
    with connection.cursor() as cursor:
        if table.conflict:
            # Identifiers come from model metadata, quoted; the data goes by COPY.
            cursor.execute(f"DROP TABLE IF EXISTS {table.stage}")
            cursor.execute(f"CREATE TEMPORARY TABLE {table.stage} ON COMMIT DROP AS "  # noqa: S608
                           f"SELECT {table.columns} FROM {table.name} WITH NO DATA")
        copied = 0
        for chunk in _chunks(rows, COPY_CHUNK_ROWS):
            cursor.cursor.copy_expert(copy_sql, copy_text(chunk))
            copied += len(chunk)
        if not table.conflict:
            return copied
        cursor.execute(f"INSERT INTO {table.name} ({table.columns}) SELECT {table.columns} "  # noqa: S608
                       f"FROM {table.stage}{table.conflict}")
        written = cursor.rowcount
        cursor.execute(f"DROP TABLE {table.stage}")
    return written


def copy_text(rows):
    """COPY's CSV format as a file: an unquoted empty field is NULL, a quoted one an empty string."""
    text = "".join([",".join(map(copy_cell, row)) + "\n" for row in rows])
    return io.StringIO(text.replace("\x00", "") if "\x00" in text else text)  # NULs only ever in text


def copy_cell(value):
    # Exact type tests, commonest first: a register file has a million cells.
    kind = type(value)
    if kind is str:
        return '"' + value.replace('"', '""') + '"'
    if value is None:
        return ""
    if kind is int or kind is float or kind is Decimal:
        return str(value)
    if isinstance(value, str):  # text choices
        return '"' + str.replace(value, '"', '""') + '"'
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date):  # dates and datetimes (aware ones carry their offset)
        return value.isoformat()
    if isinstance(value, int):  # subclasses (e.g. IntEnum)
        return str(int(value))
    return copy_cell(str(value))
