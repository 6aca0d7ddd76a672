"""Members who took a name that could pass for staff are renamed and told.

Anyone could take "관리자" or "운영도우미" (finding 13 of issue 17). Such nicknames (look-alikes
included, ``accounts.names``) are cleared, so the member is shown by their handle; a handle
that folds to a reserved word becomes ``member<id>``. Each member gets a ``name_reset``
notification saying which of their names changed. Staff keep theirs.
"""

from django.db import migrations

from accounts.names import fold, is_reserved
from accounts.roles import staff_filter
from search.indexing import enqueue_engine_update

NAME_RESET = "name_reset"


def _free_handle(User, member) -> str:
    candidate = base = f"member{member.pk}"
    suffix = 1
    while User.objects.filter(username__iexact=candidate).exists():
        candidate = f"{base}_{suffix}"
        suffix += 1
    return candidate


def rename_reserved_names(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Notification = apps.get_model("community", "Notification")
    staff = User.objects.filter(staff_filter(apps)).distinct()
    staff_ids = set(staff.values_list("pk", flat=True))
    staff_names = {
        fold(nickname or username)
        for nickname, username in staff.filter(is_active=True).values_list("nickname", "username")
    }
    renamed = []
    for member in User.objects.exclude(pk__in=staff_ids).iterator():
        changed = []
        if member.nickname and is_reserved(member.nickname, staff_names=staff_names):
            member.nickname = ""
            changed.append("nickname")
        if is_reserved(member.username, staff_names=staff_names):
            member.username = _free_handle(User, member)
            changed.append("username")
        if changed:
            member.save(update_fields=changed)
            Notification.objects.bulk_create(
                [
                    Notification(recipient=member, kind=NAME_RESET, details={"field": field})
                    for field in changed
                ]
            )
            renamed.append(member.pk)
    # The worker brings the search index up to date (saving a historical model does not).
    for pk in renamed:
        enqueue_engine_update("accounts.User", pk)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_community_moderators"),
        ("community", "0007_notification_name_reset"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(rename_reserved_names, migrations.RunPython.noop)]
