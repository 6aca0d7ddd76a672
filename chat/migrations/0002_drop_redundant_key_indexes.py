"""Drops single-column indexes on foreign keys that lead a composite index or unique constraint.

Only the index goes: Django's AlterField would also drop and re-validate each foreign key.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # chat_message_room_id leads with room_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="message",
                    name="room",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="messages",
                        to="chat.room",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "chat_message_room_id_5e7d8d78"',
                    reverse_sql='CREATE INDEX "chat_message_room_id_5e7d8d78" ON "chat_message" ("room_id")',
                ),
            ],
        ),
        # chat_message_client_id_once leads with sender_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="message",
                    name="sender",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="chat_messages",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "chat_message_sender_id_991c686c"',
                    reverse_sql='CREATE INDEX "chat_message_sender_id_991c686c" ON "chat_message" ("sender_id")',
                ),
            ],
        ),
        # chat_member_rooms leads with member_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="roommember",
                    name="member",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="chat_memberships",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "chat_roommember_member_id_789597ac"',
                    reverse_sql='CREATE INDEX "chat_roommember_member_id_789597ac" ON "chat_roommember" ("member_id")',
                ),
            ],
        ),
        # chat_member_once_per_room leads with room_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="roommember",
                    name="room",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="chat.room",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "chat_roommember_room_id_db53f589"',
                    reverse_sql='CREATE INDEX "chat_roommember_room_id_db53f589" ON "chat_roommember" ("room_id")',
                ),
            ],
        ),
    ]
