"""What a migrated test database holds, kept in a schema of its own so that a flush can put it back.

Right after pytest-django has migrated (or reused) a PostgreSQL test database, ``keep`` copies every
table that has rows then — the migrations' content (the Wagtail tree and its Site, locales,
collections) and what the post_migrate signal made (content types, permissions, roles) — into the
``test_flush_snapshot`` schema. The flush that ends a transactional test then empties the tables
and copies those rows back (``restore_sql``): the next test starts from the database exactly as
migrated, with the same primary keys, which is what Django's flush plus the post_migrate signal
approximates (new content type ids, no pages) at several times the cost.

The snapshot records how many migrations were applied when it was taken: a reused database that
has since been migrated further gets a new one."""

from django.db import connections, transaction

SCHEMA = "test_flush_snapshot"
TABLES = f"{SCHEMA}._tables"


def _applied_migrations(cursor) -> int:
    cursor.execute("SELECT count(*) FROM django_migrations")
    return cursor.fetchone()[0]


def _current(cursor) -> bool:
    cursor.execute("SELECT to_regclass(%s)", [TABLES])
    if cursor.fetchone()[0] is None:
        return False
    cursor.execute(f"SELECT migrations FROM {TABLES} WHERE name IS NULL")  # noqa: S608
    row = cursor.fetchone()
    return row is not None and row[0] == _applied_migrations(cursor)


def _insertable_columns(cursor, table: str) -> list[str]:
    """The table's columns in order, without generated ones (they cannot be inserted into)."""
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
        [table],
    )
    return [name for (name,) in cursor.fetchall()]


def _sequences(cursor, table: str, columns: list[str]) -> list[str]:
    """``column:sequence`` for each column a sequence fills (the primary key's)."""
    found = []
    for column in columns:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        sequence = cursor.fetchone()[0]
        if sequence:
            found.append(f"{column}:{sequence}")
    return found


def keep(using: str = "default") -> None:
    """Takes the snapshot of the database as it is now, unless a current one is there."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if _current(cursor):
            return
        cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}")
        cursor.execute(
            f"CREATE TABLE {TABLES} (name text, columns text[], sequences text[], migrations integer)"
        )
        cursor.execute(f"INSERT INTO {TABLES} (migrations) VALUES (%s)", [_applied_migrations(cursor)])  # noqa: S608
        for table in tables:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")  # noqa: S608 — schema names
            if not cursor.fetchone()[0]:
                continue
            columns = _insertable_columns(cursor, quote(table))
            listed = ", ".join(quote(column) for column in columns)
            cursor.execute(f"CREATE TABLE {SCHEMA}.{quote(table)} AS SELECT {listed} FROM {quote(table)}")  # noqa: S608
            cursor.execute(
                f"INSERT INTO {TABLES} (name, columns, sequences) VALUES (%s, %s, %s)",  # noqa: S608
                [table, columns, _sequences(cursor, quote(table), columns)],
            )


def restore_sql(connection, tables: list[str]) -> str | None:
    """One script that empties ``tables`` and copies the snapshot back, or None without one."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if not _current(cursor):
            return None
        cursor.execute(f"SELECT name, columns, sequences FROM {TABLES} WHERE name IS NOT NULL")  # noqa: S608
        kept = cursor.fetchall()
    statements = ["SET CONSTRAINTS ALL DEFERRED"]
    statements += [f"DELETE FROM {quote(table)}" for table in tables]  # noqa: S608 — names from the schema
    for table, columns, sequences in kept:
        listed = ", ".join(quote(column) for column in columns)
        statements.append(
            f"INSERT INTO {quote(table)} ({listed}) SELECT {listed} FROM {SCHEMA}.{quote(table)}"  # noqa: S608
        )
        # A test that migrated backwards and forwards made the table, and its sequence, anew: the
        # next row must still get an id above the rows put back.
        for entry in sequences:
            column, sequence = entry.split(":", 1)
            statements.append(
                f"SELECT setval('{sequence}', GREATEST((SELECT max({quote(column)}) FROM {quote(table)}), "  # noqa: S608
                f"(SELECT last_value FROM {sequence})))"
            )
    return ";\n".join(statements)
