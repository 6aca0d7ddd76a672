"""Drops single-column indexes on foreign keys that lead a composite index or unique constraint."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.migration_operations import drop_key_index


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # chat_message_room_id leads with room_id.
        drop_key_index(
            model_name="message",
            name="room",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="messages",
                to="chat.room",
            ),
            index="chat_message_room_id_5e7d8d78",
            table="chat_message",
            column="room_id",
        ),
        # chat_message_client_id_once leads with sender_id.
        drop_key_index(
            model_name="message",
            name="sender",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="chat_messages",
                to=settings.AUTH_USER_MODEL,
            ),
            index="chat_message_sender_id_991c686c",
            table="chat_message",
            column="sender_id",
        ),
        # chat_member_rooms leads with member_id.
        drop_key_index(
            model_name="roommember",
            name="member",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="chat_memberships",
                to=settings.AUTH_USER_MODEL,
            ),
            index="chat_roommember_member_id_789597ac",
            table="chat_roommember",
            column="member_id",
        ),
        # chat_member_once_per_room leads with room_id.
        drop_key_index(
            model_name="roommember",
            name="room",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to="chat.room",
            ),
            index="chat_roommember_room_id_db53f589",
            table="chat_roommember",
            column="room_id",
        ),
    ]
