"""Members in the Wagtail admin (Wagtail's user screens, customised): superusers manage them,
community moderators look them up without ever seeing an e-mail address, other staff see nothing."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import COMMUNITY_MODERATORS, ROLES, WAGTAIL_EDITORS, WAGTAIL_MODERATORS
from accounts.tests.factories import UserFactory
from community.models import Post
from community.tests.factories import PostFactory
from privacy.services import username_is_retired

pytestmark = pytest.mark.django_db

MEMBERS = "/admin/users/"


@pytest.fixture
def dubu(db):
    return UserFactory(
        username="dubu", nickname="두부엄마", email="dubu.secret@example.com", bio="말티즈 키워요"
    )


@pytest.fixture
def banned(db):
    return UserFactory(
        username="spammer", nickname="광고왕", email="spam.secret@example.com", is_active=False
    )


@pytest.fixture
def moderator_client(client, admin_login, moderator):
    return admin_login(client, moderator)


@pytest.fixture
def superuser_client(client, admin_login):
    return admin_login(client, UserFactory(username="boss", is_staff=True, is_superuser=True))


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


class TestModerators:
    def test_list_members_by_the_name_others_see_without_e_mail(self, moderator_client, dubu, banned):
        html = page(moderator_client.get(MEMBERS))

        assert "두부엄마" in html
        assert "dubu" in html
        assert "광고왕" in html, "inactive members are listed too"
        assert "@example.com" not in html
        assert "회원" in html

    def test_find_members_by_username_or_nickname_but_not_by_e__mail(self, moderator_client, dubu, banned):
        assert "두부엄마" in page(moderator_client.get(MEMBERS, {"q": "두부"}))
        assert "광고왕" not in page(moderator_client.get(MEMBERS, {"q": "두부"}))
        assert "광고왕" in page(moderator_client.get(MEMBERS, {"q": "spammer"}))
        assert "두부엄마" not in page(moderator_client.get(MEMBERS, {"q": "dubu.secret"}))

    def test_filter_members_who_are_not_active(self, moderator_client, dubu, banned):
        html = page(moderator_client.get(MEMBERS, {"is_active": "false"}))

        assert "광고왕" in html
        assert "두부엄마" not in html

    def test_open_a_member_without_e_mail_but_cannot_edit_or_add(self, moderator_client, dubu):
        html = page(moderator_client.get(f"{MEMBERS}inspect/{dubu.pk}/"))

        assert "말티즈 키워요" in html
        assert "@example.com" not in html
        assert moderator_client.get(f"{MEMBERS}edit/{dubu.pk}/").status_code == 302
        assert moderator_client.get(f"{MEMBERS}new/").status_code == 302
        assert moderator_client.get(f"{MEMBERS}delete/{dubu.pk}/").status_code == 302
        assert (
            dubu.email not in moderator_client.get(f"{MEMBERS}edit/{dubu.pk}/", follow=True).content.decode()
        )

    def test_the_members_menu_item_is_in_the_main_menu(self, moderator_client):
        html = page(moderator_client.get("/admin/"))

        assert MEMBERS in html


class TestSuperusers:
    def test_see_and_search_e_mail_addresses_and_edit_profiles(self, superuser_client, dubu):
        assert "dubu.secret@example.com" in page(superuser_client.get(MEMBERS, {"q": "dubu.secret"}))
        html = page(superuser_client.get(f"{MEMBERS}edit/{dubu.pk}/"))
        assert "dubu.secret@example.com" in html
        assert 'name="nickname"' in html
        assert 'name="bio"' in html

    def test_save_a_nickname(self, superuser_client, dubu):
        response = superuser_client.post(
            f"{MEMBERS}edit/{dubu.pk}/",
            {
                "username": "dubu",
                "email": "",
                "first_name": "",
                "last_name": "",
                "nickname": "두부맘",
                "bio": "",
                "is_active": "on",
            },
        )

        assert response.status_code == 302
        dubu.refresh_from_db()
        assert (dubu.nickname, dubu.email) == ("두부맘", "")


class TestErasingAMember:
    """Deleting a member in the admin is leaving on their behalf: the erasure runs (personal data
    gone, username retired, posts kept under a former member's name), never a bare row delete."""

    def assert_erased(self, member, post):
        account = User.objects.get(pk=member.pk)
        assert account.username.startswith("deleted_")
        assert (account.email, account.nickname, account.is_active) == ("", "", False)
        assert not EmailAddress.objects.filter(user=account).exists()
        assert username_is_retired(member.username)
        assert Post.objects.get(pk=post.pk).author == account

    def test_the_delete_screen_erases_the_member_and_keeps_their_posts(
        self, superuser_client, dubu, django_capture_on_commit_callbacks
    ):
        post = PostFactory(author=dubu, text="두부랑 산책했어요")

        with django_capture_on_commit_callbacks(execute=True):
            response = superuser_client.post(f"{MEMBERS}delete/{dubu.pk}/")

        assert response.status_code == 302
        self.assert_erased(dubu, post)
        shown = page(superuser_client.get(response["Location"]))
        assert "회원 정보를 지웠어요" in shown

    def test_deleting_several_at_once_erases_each(
        self, superuser_client, dubu, banned, django_capture_on_commit_callbacks
    ):
        posts = [PostFactory(author=dubu), PostFactory(author=banned)]

        with django_capture_on_commit_callbacks(execute=True):
            response = superuser_client.post(
                f"/admin/bulk/accounts/user/delete/?id={dubu.pk}&id={banned.pk}&next={MEMBERS}"
            )

        assert response.status_code == 302
        self.assert_erased(dubu, posts[0])
        self.assert_erased(banned, posts[1])


def test_editors_do_not_see_members(client, admin_login, dubu):
    editor = UserFactory(username="editor")
    editor.groups.add(Group.objects.get(name=WAGTAIL_EDITORS))
    admin_login(client, editor)

    assert client.get(MEMBERS).status_code == 302
    assert client.get(f"{MEMBERS}inspect/{dubu.pk}/").status_code == 302
    assert MEMBERS not in page(client.get("/admin/"))


def test_no_screen_a_moderator_reaches_shows_a_members_e_mail(moderator_client, dubu, banned):
    """Every admin page linked from the admin home, the menu and the pages they link to in turn
    (two steps), with members, walks, pets and reports in the database."""
    from moderation.tests.factories import report
    from pets.tests.factories import PetFactory
    from walks.tests.factories import WalkFactory, board

    WalkFactory(host=dubu, board=board())
    PetFactory(owner=dubu, name="두부")
    report(banned, dubu, target_type="member")
    addresses = [dubu.email, banned.email]
    seen, frontier = set(), ["/admin/"]
    for _step in range(3):
        found = []
        for url in frontier:
            seen.add(url)
            response = moderator_client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            assert not [address for address in addresses if address in html], url
            links = re.findall(r'href="(/admin/[^"#?]*)"', html) + re.findall(
                r'"url": "(/admin/[^"#?]*)"', html
            )
            found += [link for link in links if not re.search(r"logout|delete|/new/|/add/", link)]
        frontier = sorted(set(found) - seen)
    assert {"/admin/users/", "/admin/walks/", "/admin/pets/", "/admin/moderation/cases/"} <= seen
    assert any(url.startswith("/admin/users/inspect/") for url in seen)


STAFF_SCREENS = ("/admin/users/", "/admin/walks/", "/admin/pets/")


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (COMMUNITY_MODERATORS, True),
        (WAGTAIL_EDITORS, False),
        (WAGTAIL_MODERATORS, False),
        ("superuser", True),
        ("member", False),
    ],
)
def test_who_sees_the_member_walk_and_pet_screens(client, admin_login, role, sees):
    person = UserFactory(username="staffer", is_superuser=role == "superuser", is_staff=role == "superuser")
    if role in ROLES:
        person.groups.add(Group.objects.get(name=role))
    if role == "member":
        client.force_login(person)
    else:
        admin_login(client, person)
        menu = page(client.get("/admin/"))
        assert all((screen in menu) == sees for screen in STAFF_SCREENS), role

    for screen in STAFF_SCREENS:
        response = client.get(screen)
        assert response.status_code == (200 if sees else 302), (role, screen)
    if sees:
        assert "staffer" in client.get("/admin/users/").content.decode()
