"""Migration operations shared by the apps' migrations."""

from django.db import migrations, models


def drop_key_index(
    *, model_name: str, name: str, field: models.ForeignKey, index: str, table: str, column: str
) -> migrations.SeparateDatabaseAndState:
    """Drop the single-column index of a foreign key that another index or unique constraint leads.

    ``field`` is the foreign key as the model now declares it (``db_index=False``); ``index`` is the
    name of the index Django made for it on ``table`` (``column``). Unapplying re-creates that index.

    Django's own ``AlterField`` to ``db_index=False`` would also drop the foreign key constraint
    and add it back on PostgreSQL, which re-validates every row under a lock; only the index
    should go. So the migration state takes the ``AlterField`` and the database runs just
    ``DROP INDEX``. Django names these indexes the same way on SQLite and PostgreSQL, so one
    statement serves both.
    """
    if field.db_index:
        raise ValueError(f"{model_name}.{name}: the field must be declared with db_index=False")
    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AlterField(model_name=model_name, name=name, field=field)],
        database_operations=[
            migrations.RunSQL(
                f'DROP INDEX IF EXISTS "{index}"',
                reverse_sql=f'CREATE INDEX "{index}" ON "{table}" ("{column}")',
            ),
        ],
    )
