"""``drop_key_index`` moves only the index, both ways, and leaves the foreign key alone.

The operation is the one pets' migration 0002 applies, run backwards and forwards again on the
migrated test database inside the test's transaction, which is rolled back.
"""

import pytest
from django.db import connection, models
from django.db.migrations.loader import MigrationLoader

from core.migration_operations import drop_key_index

INDEX = "pets_pet_owner_id_ed468d8b"


def pet_owner_indexes_and_keys():
    """(names of the plain indexes on pets_pet.owner_id, the table's foreign keys)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "pets_pet")
    indexes = {
        name
        for name, c in constraints.items()
        if c["index"] and not c["unique"] and c["columns"] == ["owner_id"]
    }
    keys = sorted((tuple(c["columns"]), c["foreign_key"]) for c in constraints.values() if c["foreign_key"])
    return indexes, keys


@pytest.mark.django_db
@pytest.mark.smoke
def test_the_operation_drops_and_restores_only_the_index():
    loader = MigrationLoader(connection)
    (operation,) = loader.get_migration("pets", "0002_drop_redundant_key_index").operations
    before = loader.project_state(("pets", "0001_initial"))
    after = loader.project_state(("pets", "0002_drop_redundant_key_index"))
    # RunSQL needs only the editor's execute(); SQLite's editor refuses to be entered in a transaction.
    editor = connection.schema_editor()
    indexes, keys = pet_owner_indexes_and_keys()
    assert not indexes

    operation.database_backwards("pets", editor, after, before)
    assert pet_owner_indexes_and_keys() == ({INDEX}, keys)

    operation.database_forwards("pets", editor, before, after)
    assert pet_owner_indexes_and_keys() == (set(), keys)
    assert before.models["pets", "pet"].fields["owner"].db_index
    assert not after.models["pets", "pet"].fields["owner"].db_index


def test_the_field_must_say_it_has_no_index():
    field = models.ForeignKey("pets.pet", on_delete=models.CASCADE)

    with pytest.raises(ValueError, match="db_index=False"):
        drop_key_index(
            model_name="pet", name="owner", field=field, index=INDEX, table="pets_pet", column="owner_id"
        )
