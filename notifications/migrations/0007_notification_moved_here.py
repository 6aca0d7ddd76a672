"""``Notification`` moves here from ``community``: its table and content type are renamed, so every
row keeps its id and read state. Its targets (five foreign keys into community, walks and the World
Cup) become a content type and id in the next migration. Works both ways."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

KINDS = [
    ("like", "like"),
    ("comment", "comment"),
    ("reply", "reply"),
    ("follow", "follow"),
    ("mention", "mention"),
    ("walk_join", "joined a walk"),
    ("walk_leave", "left a walk"),
    ("walk_removed", "removed from a walk"),
    ("walk_cancelled", "walk cancelled"),
    ("walk_reminder", "walk starts in an hour"),
    ("walk_review", "write about a walk"),
    ("worldcup_result", "World Cup result"),
    ("pet_of_the_month", "pet of the month"),
    ("worldcup_open", "World Cup open for entries"),
    ("name_reset", "name reserved for staff"),
    ("moderation_decision", "moderators' decision"),
    ("report_outcome", "outcome of a report"),
]


def move_content_type(apps, schema_editor, *, source="community", target="notifications"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=target, model="notification").exists():
        ContentType.objects.filter(app_label=source, model="notification").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="notifications", target="community")


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0006_push_subscriptions"),
        ("community", "0010_post_draft"),
        # accounts 0006 wrote name_reset rows through community's historical model.
        ("accounts", "0006_reserved_names"),
        ("walks", "0005_walk_point_and_reminders"),
        ("worldcup", "0004_game_result_card"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("kind", models.CharField(choices=KINDS, max_length=20)),
                        (
                            "details",
                            models.JSONField(
                                blank=True,
                                default=dict,
                                help_text="Figures a system notification shows (World Cup: rank, wins).",
                            ),
                        ),
                        (
                            "actor_count",
                            models.PositiveIntegerField(
                                default=1, help_text="How many members this row groups."
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "updated_at",
                            models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                        ),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "recipient",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "post",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="community.post",
                            ),
                        ),
                        (
                            "comment",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="community.comment",
                            ),
                        ),
                        (
                            "walk",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="walks.walk",
                            ),
                        ),
                        (
                            "worldcup_event",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="worldcup.worldcupeventpage",
                            ),
                        ),
                        (
                            "worldcup_entry",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="worldcup.entry",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "notification",
                        "verbose_name_plural": "notifications",
                        "ordering": ["-updated_at", "-id"],
                        "indexes": [
                            models.Index(fields=["recipient", "read_at"], name="notification_unread")
                        ],
                    },
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE community_notification RENAME TO notifications_notification",
                    "ALTER TABLE notifications_notification RENAME TO community_notification",
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
