"""When a walk is open, and which walks each filter finds: the same on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from accounts.tests.factories import UserFactory
from walks.models import ClosedReason, Walk, WalkStatus
from walks.tests.factories import WalkFactory, seoul


@pytest.fixture
def walks_in_every_state(host, board):
    """One walk per way of being open or closed."""
    members = UserFactory.create_batch(3)
    now = timezone.now()
    return {
        "open": WalkFactory(host=host, board=board, title="열림"),
        "nearly_full": WalkFactory(host=host, board=board, title="한 자리", capacity=3, joiners=members[:1]),
        "full": WalkFactory(host=host, board=board, title="마감", capacity=3, joiners=members[:2]),
        "started": WalkFactory(
            host=host,
            board=board,
            title="시작",
            start_at=now - timedelta(minutes=1),
            end_at=now + timedelta(hours=1),
        ),
        "closed": WalkFactory(host=host, board=board, title="닫음", status=WalkStatus.CLOSED),
        "cancelled": WalkFactory(host=host, board=board, title="취소", status=WalkStatus.CANCELLED),
        "deleted": WalkFactory(host=host, board=board, title="삭제", deleted_at=now),
    }


@pytest.mark.django_db
class TestClosing:
    def test_open_is_decided_in_one_sql_query(self, walks_in_every_state, django_assert_num_queries):
        with django_assert_num_queries(1):
            titles = set(Walk.objects.open().values_list("title", flat=True))

        assert titles == {"열림", "한 자리"}

    @pytest.mark.parametrize(
        ("key", "reason"),
        [
            ("open", None),
            ("nearly_full", None),
            ("full", ClosedReason.FULL),
            ("started", ClosedReason.STARTED),
            ("closed", ClosedReason.CLOSED),
            ("cancelled", ClosedReason.CANCELLED),
            ("deleted", ClosedReason.CANCELLED),
        ],
    )
    def test_python_and_sql_agree_on_every_state(self, walks_in_every_state, key, reason):
        walk = walks_in_every_state[key]

        assert walk.closed_reason() == reason
        assert Walk.objects.open().filter(pk=walk.pk).exists() is (reason is None)

    def test_a_walk_closes_when_its_start_passes(self, host, board):
        walk = WalkFactory(host=host, board=board, start_at=seoul(days=1, hour=9))

        assert Walk.objects.open(now=walk.start_at - timedelta(seconds=1)).filter(pk=walk.pk).exists()
        assert not Walk.objects.open(now=walk.start_at).filter(pk=walk.pk).exists()

    def test_the_database_refuses_more_members_than_capacity(self, host, board):
        from django.db import IntegrityError, transaction

        walk = WalkFactory(host=host, board=board, capacity=2, joiners=[UserFactory()])
        with pytest.raises(IntegrityError), transaction.atomic():
            Walk.objects.filter(pk=walk.pk).update(participant_count=F("participant_count") + 1)


def listed(api_client, **params) -> list[str]:
    response = api_client.get("/api/walks/", {"page_size": 50, **params})
    assert response.status_code == 200, response.json()
    return [walk["title"] for walk in response.json()["results"]]


@pytest.mark.django_db
class TestFilters:
    def test_time_slots_use_the_start_time_in_seoul(self, api_client, host, board):
        starts = {
            "05:59": (1, 5, 59),
            "06:00": (1, 6, 0),
            "11:59": (1, 11, 59),
            "12:00": (1, 12, 0),
            "17:59": (1, 17, 59),
            "18:00": (1, 18, 0),
            "21:59": (1, 21, 59),
            "22:00": (1, 22, 0),
            "00:30": (2, 0, 30),
        }
        for title, (days, hour, minute) in starts.items():
            WalkFactory(host=host, board=board, title=title, start_at=seoul(days, hour, minute))

        assert set(listed(api_client, time_slot="morning")) == {"06:00", "11:59"}
        assert set(listed(api_client, time_slot="afternoon")) == {"12:00", "17:59"}
        assert set(listed(api_client, time_slot="evening")) == {"18:00", "21:59"}
        assert set(listed(api_client, time_slot="night")) == {"05:59", "22:00", "00:30"}

    def test_date_range_counts_days_in_seoul(self, api_client, host, board):
        # 00:30 in Seoul is still the previous day in UTC.
        WalkFactory(host=host, board=board, title="셋째 날 새벽", start_at=seoul(3, 0, 30))
        WalkFactory(host=host, board=board, title="셋째 날 밤", start_at=seoul(3, 23, 30))
        WalkFactory(host=host, board=board, title="넷째 날", start_at=seoul(4, 9))
        third = seoul(3).date().isoformat()

        assert set(listed(api_client, date_from=third, date_to=third)) == {"셋째 날 새벽", "셋째 날 밤"}
        assert set(listed(api_client, date_from=seoul(4).date().isoformat())) == {"넷째 날"}
        assert set(listed(api_client, date_to=third)) == {"셋째 날 새벽", "셋째 날 밤"}

    def test_without_dates_lists_start_today(self, api_client, host, board):
        WalkFactory(host=host, board=board, title="어제", start_at=seoul(-1, 9))
        WalkFactory(host=host, board=board, title="오늘 새벽", start_at=seoul(0, 0, 5))
        WalkFactory(host=host, board=board, title="내일", start_at=seoul(1, 9))

        assert listed(api_client) == ["오늘 새벽", "내일"]
        assert listed(api_client, date_from=seoul(-1).date().isoformat()) == ["어제", "오늘 새벽", "내일"]

    def test_dog_sizes_must_all_be_welcome(self, api_client, host, board):
        WalkFactory(host=host, board=board, title="소형", dog_sizes=("small",))
        WalkFactory(host=host, board=board, title="소중", dog_sizes=("small", "medium"))
        WalkFactory(host=host, board=board, title="대형", dog_sizes=("large",))

        assert set(listed(api_client, size="small")) == {"소형", "소중"}
        assert set(listed(api_client, size=["small", "medium"])) == {"소중"}
        assert set(listed(api_client, size="large")) == {"대형"}

    def test_gender_filters(self, api_client, host, board):
        WalkFactory(host=host, board=board, title="누구나", preferred_gender="any", host_gender="male")
        WalkFactory(host=host, board=board, title="여성만", preferred_gender="female", host_gender="female")
        WalkFactory(
            host=host, board=board, title="남성만", preferred_gender="male", host_gender="unspecified"
        )

        assert set(listed(api_client, gender="female")) == {"누구나", "여성만"}
        assert set(listed(api_client, gender="male")) == {"누구나", "남성만"}
        assert set(listed(api_client, host_gender="female")) == {"여성만"}
        assert set(listed(api_client, host_gender="male")) == {"누구나"}

    def test_board_and_area(self, api_client, host, board, other_board):
        WalkFactory(host=host, board=board, title="강남", area="역삼동")
        WalkFactory(host=host, board=other_board, title="해운대", area="해운대 해변")

        assert listed(api_client, board=other_board.pk) == ["해운대"]
        assert listed(api_client, area="역삼") == ["강남"]
        assert listed(api_client, area="해변") == ["해운대"]

    def test_open_only(self, api_client, walks_in_every_state):
        assert set(listed(api_client, open="true")) == {"열림", "한 자리"}
        listed_titles = set(listed(api_client))
        # Today's started walk is still listed (shown as started); cancelled and deleted ones are not.
        assert listed_titles == {"열림", "한 자리", "마감", "시작", "닫음"}

    def test_filters_combine(self, api_client, host, board, other_board):
        WalkFactory(
            host=host, board=board, title="맞음", start_at=seoul(2, 7), dog_sizes=("small",), area="역삼동"
        )
        WalkFactory(
            host=host,
            board=board,
            title="시간 다름",
            start_at=seoul(2, 19),
            dog_sizes=("small",),
            area="역삼동",
        )
        WalkFactory(
            host=host, board=other_board, title="지역 다름", start_at=seoul(2, 7), dog_sizes=("small",)
        )

        assert listed(
            api_client, board=board.pk, time_slot="morning", size="small", area="역삼", open="true"
        ) == ["맞음"]

    def test_unknown_parameters_are_ignored(self, api_client, host, board):
        WalkFactory(host=host, board=board, title="보임")
        WalkFactory(host=host, board=board, title="취소됨", status=WalkStatus.CANCELLED)

        assert listed(
            api_client, status="cancelled", host__username="nobody", deleted_at__isnull="false"
        ) == ["보임"]


INVALID = [
    ({"date_from": "어제"}, "date_from"),
    ({"date_to": "2026-13-40"}, "date_to"),
    ({"date_from": "2026-12-10", "date_to": "2026-12-01"}, "date_to"),
    ({"time_slot": "dawn"}, "time_slot"),
    ({"size": "huge"}, "size"),
    ({"gender": "other"}, "gender"),
    ({"host_gender": "unspecified"}, "host_gender"),
    ({"open": "yes"}, "open"),
    ({"board": "999999"}, "board"),
    ({"board": "gangnam"}, "board"),
    ({"board": "9" * 30}, "board"),
    ({"area": "가" * 61}, "area"),
]


@pytest.mark.django_db
class TestInvalidFilters:
    @pytest.mark.parametrize(("params", "field"), INVALID)
    def test_the_api_answers_400_naming_the_field(self, api_client, params, field):
        response = api_client.get("/api/walks/", params)

        assert response.status_code == 400
        body = response.json()
        assert list(body) == [field]
        assert body[field][0]

    @pytest.mark.parametrize(("params", "field"), INVALID)
    def test_the_index_page_shows_the_form_error(self, client, params, field):
        response = client.get("/walks/", params)

        assert response.status_code == 400
        html = response.content.decode()
        assert 'data-role="filter-errors"' in html
        assert f'id="id_{field}_error"' in html

    def test_a_board_page_shows_the_form_error(self, client, board):
        response = client.get(board.url, {"time_slot": "dawn"})

        assert response.status_code == 400
        assert 'data-role="filter-errors"' in response.content.decode()
