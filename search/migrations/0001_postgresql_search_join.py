"""PostgreSQL plans for Wagtail's database search index at scale.

The database backend joins each searched table to ``wagtailsearch_indexentry`` on
``object_id = id::varchar(50)``. Without an index on that expression, a rare term's few
index entries are joined by hashing the whole table; with it, by one probe each. The
autocomplete column holds many distinct terms (word suffixes, initials, stems), so the
default statistics miss most of them and the planner guesses a common term rare; a larger
sample keeps its estimates close. Other databases are left as they are.
"""

from django.db import migrations

SEARCHED_TABLES = ["community_post", "walks_walk", "pets_pet", "accounts_user"]
STATISTICS_TARGET = 2000


def tune(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SEARCHED_TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_key ON {table} (((id)::varchar(50)))"
        )
    schema_editor.execute(
        f"ALTER TABLE wagtailsearch_indexentry ALTER COLUMN autocomplete SET STATISTICS {STATISTICS_TARGET}"
    )


def untune(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SEARCHED_TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_key")
    schema_editor.execute("ALTER TABLE wagtailsearch_indexentry ALTER COLUMN autocomplete SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [
        ("wagtailsearch", "0010_add_text_fields"),
        ("community", "0001_initial"),
        ("walks", "0001_initial"),
        ("pets", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(tune, untune, elidable=False)]
