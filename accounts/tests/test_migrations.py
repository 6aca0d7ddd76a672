"""Migrations of member data: the nickname initials (초성) are filled for members made before the
column, so they are found by @ㄷㅂ at once."""

import pytest

from core.tests.migrating import migrate, migrate_to_latest

BEFORE_INITIALS = [("accounts", "0008_drop_member_speed_columns")]


@pytest.mark.django_db
def test_members_made_before_the_initials_column_get_their_initials():
    old_apps = migrate(BEFORE_INITIALS)
    OldUser = old_apps.get_model("accounts", "User")
    OldUser.objects.create(username="dubu", nickname="두부엄마")
    OldUser.objects.create(username="kongi", nickname="콩이 Papa")
    OldUser.objects.create(username="nameless", nickname="")

    new_apps = migrate_to_latest()
    User = new_apps.get_model("accounts", "User")

    assert dict(User.objects.values_list("username", "nickname_initials")) == {
        "dubu": "ㄷㅂㅇㅁ",
        "kongi": "ㅋㅇ",
        "nameless": "",
    }
