"""Community moderators get a group of their own, apart from Wagtail's "Moderators" (who edit,
publish and approve pages) and "Editors".

Until now our moderators were members of Wagtail's "Moderators" group, which migrations
0002 of accounts, community, moderation and worldcup extended with the review queue: so
they could also edit, publish and delete every page and upload images and documents. Its
members move to "Community moderators", and every group's grants become what
``accounts.roles.ROLES`` declares (applied again after every ``migrate``).
"""

from django.db import migrations

from accounts.roles import COMMUNITY_MODERATORS, WAGTAIL_MODERATORS, apply_roles


def move_moderators(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("accounts", "User")
    apply_roles(apps)
    wagtail_moderators = Group.objects.get(name=WAGTAIL_MODERATORS)
    community_moderators = Group.objects.get(name=COMMUNITY_MODERATORS)
    for member in User.objects.filter(groups=wagtail_moderators):
        member.groups.add(community_moderators)
        member.groups.remove(wagtail_moderators)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_member_notifications_off_on_site"),
        ("community", "0002_moderators_see_hidden_content"),
        ("moderation", "0002_moderators_permissions"),
        ("worldcup", "0002_moderators_withdraw_entries"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(move_moderators, migrations.RunPython.noop)]
