"""The migrated schema indexes every foreign key exactly once.

Every foreign-key column leads an index, a unique constraint or the primary key (deletes cascade
and joins run through them), no foreign key keeps a single-column index beside another index
that already leads with it, and no two indexes on a table index the same columns. A partial
index (``condition=``) covers only its rows, so it never counts as leading a column; two partial
indexes on the same columns with different conditions are not duplicates.

The database is the one the migrations built, read back with Django's introspection, so the
test holds on SQLite and on PostgreSQL alike.
"""

import re
import sysconfig
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection


def our_apps():
    """The installed apps whose code lives in the project, in ``INSTALLED_APPS`` order. The
    virtualenv may sit inside the project too, so its site-packages are left out."""
    project = Path(settings.BASE_DIR).resolve()
    site_packages = {Path(sysconfig.get_path(name)).resolve() for name in ("purelib", "platlib")}

    def ours(path):
        return path.is_relative_to(project) and not any(path.is_relative_to(sp) for sp in site_packages)

    return [config for config in apps.get_app_configs() if ours(Path(config.path).resolve())]


def our_tables():
    """(table, foreign-key columns) of every concrete, managed model of our apps; many-to-many
    tables Django creates itself are left out (``get_models`` skips auto-created models)."""
    tables = []
    for config in our_apps():
        for model in config.get_models():
            opts = model._meta
            if opts.proxy or not opts.managed:
                continue
            keys = [
                field.column
                for field in opts.local_concrete_fields
                if field.is_relation and (field.many_to_one or field.one_to_one)
            ]
            tables.append((opts.db_table, keys))
    return tables


def _postgresql_qualifiers(cursor, table):
    cursor.execute(
        """
        SELECT c.relname,
               coalesce(pg_get_expr(i.indpred, i.indrelid), ''),
               array(
                   SELECT CASE WHEN o.opcdefault THEN '' ELSE o.opcname END
                   FROM unnest(i.indclass::oid[]) WITH ORDINALITY AS k(opclass, n)
                   JOIN pg_opclass AS o ON o.oid = k.opclass
                   ORDER BY k.n
               )
        FROM pg_index AS i
        JOIN pg_class AS c ON c.oid = i.indexrelid
        WHERE i.indrelid = %s::regclass
        """,
        [connection.ops.quote_name(table)],
    )
    return {name: (predicate, tuple(opclasses)) for name, predicate, opclasses in cursor.fetchall()}


def _sqlite_qualifiers(cursor, table):
    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s", [table])
    qualifiers = {}
    for name, sql in cursor.fetchall():
        where = re.search(r"\)\s+WHERE\s+(.*)$", sql or "", re.IGNORECASE | re.DOTALL)
        qualifiers[name] = (where.group(1).strip() if where else "", ())
    return qualifiers


# {index name: (predicate, operator classes)} per database: what ``get_constraints`` leaves out.
QUALIFIER_READERS = {"postgresql": _postgresql_qualifiers, "sqlite": _sqlite_qualifiers}

# The migrated schema is part of the smoke set that proves the embedded default on SQLite.
pytestmark = [
    pytest.mark.smoke,
    pytest.mark.skipif(
        connection.vendor not in QUALIFIER_READERS, reason="the project runs on SQLite and PostgreSQL only"
    ),
]


def indexes_of(table):
    """The table's indexes, unique constraints and primary key, each as
    (name, columns, unique or primary, predicate, operator classes, access method).
    Foreign-key and check constraints are left out, and so are indexes on expressions."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
        qualifiers = QUALIFIER_READERS[connection.vendor](cursor, table)
    found = []
    for name, c in constraints.items():
        if c["foreign_key"] or c["check"]:
            continue
        if not (c["index"] or c["unique"] or c["primary_key"]):
            continue
        columns = tuple(c["columns"] or ())
        if not columns or None in columns or c.get("definition"):
            continue
        predicate, opclasses = qualifiers.get(name, ("", ()))
        method = c.get("type") or "idx"
        found.append((name, columns, c["unique"] or c["primary_key"], predicate, opclasses, method))
    return found


def leads(index, column):
    """The index serves lookups on ``column`` alone: an unconditional b-tree leading with it."""
    _name, columns, _unique, predicate, _opclasses, method = index
    return columns[0] == column and not predicate and method in {"idx", "btree"}


def unindexed_keys():
    """Foreign keys that lead no unconditional index, unique constraint or primary key."""
    missing = []
    for table, keys in our_tables():
        indexes = indexes_of(table)
        missing += [f"{table}.{key}" for key in keys if not any(leads(index, key) for index in indexes)]
    return missing


def redundant_key_indexes():
    """Plain single-column indexes on foreign keys that another index already leads."""
    redundant = []
    for table, keys in our_tables():
        indexes = indexes_of(table)
        for key in keys:
            singles = [
                index for index in indexes if index[1] == (key,) and not index[2] and leads(index, key)
            ]
            for single in singles:
                others = [index[0] for index in indexes if index is not single and leads(index, key)]
                if others:
                    redundant.append(f"{table}.{key}: {single[0]} (also led by {', '.join(sorted(others))})")
    return redundant


def duplicate_indexes():
    """Indexes and unique constraints of a table on the same columns (and the same condition)."""
    duplicates = []
    for table, _keys in our_tables():
        by_columns = {}
        for name, columns, _unique, predicate, opclasses, method in indexes_of(table):
            by_columns.setdefault((columns, predicate, opclasses, method), []).append(name)
        duplicates += [
            f"{table} ({', '.join(columns)}): {', '.join(sorted(names))}"
            for (columns, *_rest), names in by_columns.items()
            if len(names) > 1
        ]
    return duplicates


@pytest.mark.django_db
def test_every_foreign_key_leads_an_index():
    missing = unindexed_keys()

    assert not missing, f"foreign keys that lead no unconditional index or unique constraint: {missing}"


@pytest.mark.django_db
def test_no_foreign_key_has_a_redundant_single_column_index():
    redundant = redundant_key_indexes()

    assert not redundant, f"single-column foreign key indexes another index already leads: {redundant}"


@pytest.mark.django_db
def test_no_two_indexes_on_the_same_columns():
    duplicates = duplicate_indexes()

    assert not duplicates, f"indexes or unique constraints on the same columns: {duplicates}"


@pytest.mark.django_db
def test_the_checks_find_each_kind_of_mistake():
    """The schema changes here are made in the test's transaction, which is rolled back."""
    with connection.cursor() as cursor:
        # walks_walk.board_id loses its only index; a partial one does not stand in for it.
        cursor.execute('DROP INDEX "walk_board_start"')
        cursor.execute(
            'CREATE INDEX "test_walk_board_open" ON "walks_walk" ("board_id") WHERE "deleted_at" IS NULL'
        )
        # pets_pet.owner_id gets a single-column index beside pet_owner_created.
        cursor.execute('CREATE INDEX "test_pet_owner" ON "pets_pet" ("owner_id")')
        # worldcup_match gets a second index on the columns of worldcup_match_slot.
        cursor.execute('CREATE INDEX "test_match_slot" ON "worldcup_match" ("game_id", "round", "position")')

    assert unindexed_keys() == ["walks_walk.board_id"]
    assert redundant_key_indexes() == ["pets_pet.owner_id: test_pet_owner (also led by pet_owner_created)"]
    assert duplicate_indexes() == [
        "worldcup_match (game_id, round, position): test_match_slot, worldcup_match_slot"
    ]
