import pytest

from accounts.tests.factories import UserFactory
from core.staff import is_staff_member


@pytest.mark.django_db
class TestStaff:
    def test_superusers_django_staff_and_whoever_opens_the_admin_are_staff(self, member, moderator):
        superuser = UserFactory(is_superuser=True)
        django_staff = UserFactory(is_staff=True)

        assert [is_staff_member(user) for user in (superuser, django_staff, moderator)] == [True] * 3
        assert not is_staff_member(member)
