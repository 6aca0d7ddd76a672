"""Pets in the Wagtail admin: moderators and superusers find and read them; nobody edits them
there; other staff do not see them."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import WAGTAIL_EDITORS
from accounts.tests.factories import UserFactory
from pets.models import Species
from pets.tests.factories import PetFactory

pytestmark = pytest.mark.django_db

PETS = "/admin/pets/"


@pytest.fixture
def pets(db):
    owner = UserFactory(username="dubu", nickname="두부엄마", email="dubu.secret@example.com")
    return (
        PetFactory(owner=owner, name="두부", species=Species.DOG, breed="말티즈"),
        PetFactory(
            owner=UserFactory(username="nabi"), name="나비", species=Species.CAT, breed="코리안 숏헤어"
        ),
    )


@pytest.fixture
def moderator_client(client, admin_login, moderator):
    return admin_login(client, moderator)


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_moderators_list_pets_with_their_owners_and_no_e_mail(moderator_client, pets):
    html = page(moderator_client.get(PETS))

    assert "두부" in html
    assert "나비" in html
    assert "두부엄마" in html
    assert "@example.com" not in html
    assert PETS in page(moderator_client.get("/admin/"))


def test_search_by_name_breed_or_owner_and_filter_by_species(moderator_client, pets):
    assert "나비" not in page(moderator_client.get(PETS, {"q": "말티즈"}))
    assert "말티즈" in page(moderator_client.get(PETS, {"q": "dubu"}))
    cats = page(moderator_client.get(PETS, {"species": Species.CAT}))
    assert "코리안 숏헤어" in cats
    assert "말티즈" not in cats


def test_a_pet_opens_read_only(moderator_client, pets):
    dubu, _nabi = pets

    html = page(moderator_client.get(f"{PETS}inspect/{dubu.pk}/"))

    assert "말티즈" in html
    assert "@example.com" not in html
    assert moderator_client.get(f"{PETS}edit/{dubu.pk}/").status_code == 404


def test_editors_do_not_see_pets(client, admin_login, pets):
    editor = UserFactory(username="editor")
    editor.groups.add(Group.objects.get(name=WAGTAIL_EDITORS))
    admin_login(client, editor)

    assert client.get(PETS).status_code == 302
    assert PETS not in page(client.get("/admin/"))
