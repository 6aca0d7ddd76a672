import re
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User


@pytest.fixture
def demo_base_dir(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    return tmp_path


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_prints_an_admin_login_that_opens_the_admin_after_its_second_factor(
    client, demo_base_dir, admin_login
):
    output = seed()

    username, password = re.search(r"Admin login:\s+(\S+) / (\S+)", output).groups()
    assert client.login(username=username, password=password)
    assert "/accounts/2fa/totp/activate/" in client.get("/admin/")["Location"]
    admin_login(client, User.objects.get(username=username))
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_demo_runs_twice_without_duplicates_and_keeps_the_login(client, demo_base_dir):
    first = seed()
    count = User.objects.count()
    second = seed()

    assert User.objects.count() == count
    assert re.search(r"Admin login:.*", first).group() == re.search(r"Admin login:.*", second).group()


@pytest.mark.django_db
def test_demo_moderator_reaches_the_admin_without_superuser(client, demo_base_dir, admin_login):
    output = seed()

    password = re.search(r"Moderator login:\s+moderator / (\S+)", output).group(1)
    assert client.login(username="moderator", password=password)
    moderator = User.objects.get(username="moderator")
    assert not moderator.is_superuser
    admin_login(client, moderator)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_demo_logins_open_at_once_without_an_email_code(client, demo_base_dir):
    """Demo addresses (@petrasche.local) cannot receive the code: they are confirmed already."""
    output = seed()
    password = re.search(r"Member logins:\s+\S+.* / (\S+)", output).group(1)

    for login in ("dubu", "moderator"):
        response = client.post("/accounts/login/", {"login": login, "password": password})
        assert response.status_code == 302, login
        assert response["Location"] == "/", login
        client.post("/accounts/logout/")
