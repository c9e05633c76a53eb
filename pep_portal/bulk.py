"""The one bulk writer: plain rows straight into a model's table, set-based, on SQLite and PostgreSQL.

    upsert(Model, fields, rows, unique=(...), update=(...))  # insert, or update the rows that differ
    insert(Model, fields, rows)                               # insert only

`fields` are the model's field names or attnames (e.g. "school_id"); `rows` any iterable of
sequences in that order, holding values the database driver takes: None, bool, int, float, Decimal,
str (JSON already dumped), date and datetime. NUL characters are dropped from text (PostgreSQL
refuses them). Building model instances for bulk_create took several times as long as the database
did for the imports' and rating runs' tens of thousands of rows: these send plain tuples.
`constants={"source_id": 7, "updated_at": now}` gives columns whose value is the same on every row:
they are encoded once, not once a row.

PostgreSQL: COPY into a temporary staging table, then one INSERT ... SELECT ... ON CONFLICT (COPY
is about twice as fast as multi-row VALUES statements). SQLite: multi-row INSERT ... VALUES ...
ON CONFLICT statements batched under its variable limit. A conflicting row is updated only when
one of its `update` columns differs, so unchanged rows are never touched; both return the number
of rows inserted or changed.

`likely_new=True` says the caller read that these keys are not in the table yet (an import's new
figures): on PostgreSQL they are copied straight into the table, and only if another writer got
there first (a unique-key conflict) does the write go through the staging table instead.

References the database does not check: a foreign key declared with `db_constraint=False` (the
figure table's, whose row-by-row checks cost PostgreSQL more than the write itself) is checked here,
set-based: every id written must exist in the referenced table, or the write raises IntegrityError
and the caller's transaction writes nothing. What this does not cover is a referenced row deleted by
another transaction while the write is under way: Django's cascade deletes the dependent rows it can
see first, so rows written in that moment stay behind (a row lock here would only delay that delete,
not stop it). Schools, measures and imports are only ever deleted by hand, in Django's admin.
"""

import datetime
import io
from decimal import Decimal

from django.db import IntegrityError, connections, router, transaction

SQLITE_VARIABLES = 30000  # under SQLite's 32,766 bound variables per statement
MAX_BATCH_ROWS = 1000
COPY_CHUNK_ROWS = 20000
UNIQUE_VIOLATION = "23505"


def upsert(model, fields, rows, *, unique, update=(), constants=None, likely_new=False):
    """Insert `rows`, or update a conflicting row's `update` columns where they differ. Rows written."""
    return _write(model, fields, rows, unique=unique, update=update, constants=constants, likely_new=likely_new)


def insert(model, fields, rows, *, constants=None):
    """Insert `rows` (no conflict handling). Rows written."""
    return _write(model, fields, rows, unique=None, update=(), constants=constants, likely_new=False)


def _write(model, fields, rows, *, unique, update, constants, likely_new):
    connection = connections[router.db_for_write(model)]
    table = _Table(model, connection, fields, unique, update, constants or {})
    with transaction.atomic(using=connection.alias, savepoint=False):
        if connection.vendor == "postgresql":
            return _copy(connection, table, rows, likely_new)
        return _values(connection, table, rows)


class _Table:
    """Quoted names, the statement pieces and the unchecked references for one write."""

    def __init__(self, model, connection, fields, unique, update, constants):
        meta = model._meta
        qn = connection.ops.quote_name
        self.model = model
        self.fields = [meta.get_field(name) for name in fields]
        self.constant_fields = [meta.get_field(name) for name in constants]
        self.constants = tuple(constants.values())
        self.name = qn(meta.db_table)
        self.columns = ", ".join(qn(f.column) for f in (*self.fields, *self.constant_fields))
        self.conflict = self._conflict(meta, qn, unique, update, connection.vendor)
        self.stage = qn(f"pep_stage_{meta.db_table}")
        self.unchecked = [(i, f) for i, f in enumerate(self.fields) if _unchecked(f)]
        self.unchecked_constants = [(meta.get_field(n), v) for n, v in constants.items() if _unchecked(meta.get_field(n))]

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

    def referenced(self):
        """{field: set()} to collect the ids each unchecked reference names, constants already in."""
        ids = {f: set() for _, f in self.unchecked}
        for f, value in self.unchecked_constants:
            ids[f] = {value}
        return ids

    def collect(self, ids, chunk):
        for i, f in self.unchecked:
            ids[f].update([row[i] for row in chunk])


def _unchecked(field):
    return field.is_relation and field.many_to_one and not field.db_constraint


def _check_references(connection, model, ids):
    """Raise IntegrityError naming the first ids that are not in their referenced tables."""
    qn = connection.ops.quote_name
    for field, wanted in ids.items():
        wanted.discard(None)
        if not wanted:
            continue
        target = field.target_field
        table, column = qn(target.model._meta.db_table), qn(target.column)
        found = _existing(connection, table, column, wanted)
        missing = sorted(wanted - found)
        if missing:
            raise IntegrityError(
                f"{model._meta.label}.{field.name}: {len(missing):,} id(s) not in {target.model._meta.label} "
                f"({', '.join(map(str, missing[:5]))}{', ...' if len(missing) > 5 else ''}); nothing written")


def _existing(connection, table, column, wanted):
    # Identifiers come from model metadata, quoted; the ids go as parameters.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT {column} FROM {table} WHERE {column} = ANY(%s)", [list(wanted)])  # noqa: S608
            return {row[0] for row in cursor.fetchall()}
        found = set()
        for chunk in _chunks(wanted, SQLITE_VARIABLES):
            cursor.execute(f"SELECT {column} FROM {table} WHERE {column} IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
                           chunk)
            found.update(row[0] for row in cursor.fetchall())
        return found


# ------------------------------------------------------------------------------------------- SQLite
def _values(connection, table, rows):
    fields = [*table.fields, *table.constant_fields]
    adapters = _adapters(connection, fields)
    width = len(fields)
    batch = max(1, min(MAX_BATCH_ROWS, SQLITE_VARIABLES // width))
    one = "(" + ", ".join(["%s"] * width) + ")"
    # Identifiers come from model metadata, quoted; every value is a parameter.
    head = f"INSERT INTO {table.name} ({table.columns}) VALUES "  # noqa: S608
    written, ids = 0, table.referenced()
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, batch):
            table.collect(ids, chunk)
            if table.constants:
                chunk = [(*row, *table.constants) for row in chunk]
            cursor.execute(head + ", ".join([one] * len(chunk)) + table.conflict, _params(chunk, adapters))
            written += cursor.rowcount
    _check_references(connection, table.model, ids)  # inside the write's transaction: a failure writes nothing
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
def _copy(connection, table, rows, likely_new):
    ids = table.referenced()
    chunks = []  # (CSV text, rows): encoded once, sent again to the staging table after a conflict
    suffix = "".join("," + copy_cell(v) for v in table.constants) + "\n"
    for chunk in _chunks(rows, COPY_CHUNK_ROWS):
        table.collect(ids, chunk)
        chunks.append((copy_text(chunk, suffix), len(chunk)))
    _check_references(connection, table.model, ids)  # before the write: a refusal costs no COPY
    if not table.conflict:
        return _copy_into(connection, table.name, table, chunks)
    if likely_new:
        try:
            with transaction.atomic(using=connection.alias):  # a savepoint: a conflict undoes only this
                return _copy_into(connection, table.name, table, chunks)
        except IntegrityError as exc:
            if exc.__cause__.pgcode != UNIQUE_VIOLATION:
                raise
    return _staged(connection, table, chunks)


def _copy_into(connection, target, table, chunks):
    copy_sql = f"COPY {target} ({table.columns}) FROM STDIN WITH (FORMAT csv)"
    with connection.cursor() as cursor, connection.wrap_database_errors:  # Django's exceptions, as execute() gives
        for text, _ in chunks:
            cursor.cursor.copy_expert(copy_sql, io.StringIO(text))
    return sum(n for _, n in chunks)


def _staged(connection, table, chunks):
    with connection.cursor() as cursor:
        # Identifiers come from model metadata, quoted; the data goes by COPY.
        cursor.execute(f"DROP TABLE IF EXISTS {table.stage}")
        cursor.execute(f"CREATE TEMPORARY TABLE {table.stage} ON COMMIT DROP AS "  # noqa: S608
                       f"SELECT {table.columns} FROM {table.name} WITH NO DATA")
        _copy_into(connection, table.stage, table, chunks)
        cursor.execute(f"INSERT INTO {table.name} ({table.columns}) SELECT {table.columns} "  # noqa: S608
                       f"FROM {table.stage}{table.conflict}")
        written = cursor.rowcount
        cursor.execute(f"DROP TABLE {table.stage}")
    return written


def copy_text(rows, suffix="\n"):
    """COPY's CSV format: an unquoted empty field is NULL, a quoted one an empty string.
    `suffix` ends every line (the constant columns' cells, already encoded, and the newline)."""
    text = "".join([",".join(map(copy_cell, row)) + suffix for row in rows])
    return text.replace("\x00", "") if "\x00" in text else text  # NULs only ever in text


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
