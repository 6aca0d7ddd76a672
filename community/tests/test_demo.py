import pytest
from django.contrib.auth.hashers import make_password

from accounts.tests.factories import UserFactory
from community.demo import seed_community, seed_reports
from moderation.models import Case, CaseStatus


@pytest.mark.django_db
def test_demo_reports_fill_the_queue_once():
    for username in ("dubu", "kongi", "nabi"):
        UserFactory(username=username)
    seed_community(password_hash=make_password("demo"), posts=6)
    assert seed_reports() == 3
    assert set(Case.objects.values_list("status", "report_count")) <= {
        (CaseStatus.OPEN, 3),
        (CaseStatus.OPEN, 2),
    }
    assert seed_reports() == 0
    assert Case.objects.count() == 3
