"""Times and particles as a Korean member reads them (core/korean_text.py)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from core.korean_text import ago, clock, day, day_clock, josa

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2026, 11, 26, 23, 45, tzinfo=SEOUL)  # a Thursday


@pytest.fixture
def korean():
    with translation.override("ko"):
        yield


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        (timedelta(seconds=20), "방금"),
        (timedelta(minutes=1, seconds=10), "1분 전"),
        (timedelta(minutes=59), "59분 전"),
        (timedelta(hours=2, minutes=30), "2시간 전"),
        (timedelta(days=2, hours=10), "2일 전"),
        (timedelta(days=6, hours=23), "6일 전"),
        (timedelta(days=8), "11월 18일 (수)"),
        (timedelta(days=400), "2025년 10월 22일 (수)"),
        (-timedelta(minutes=5), "5분 후"),
        (-timedelta(days=3), "3일 후"),
    ],
)
def test_how_long_ago_reads_as_korean_writes_it(korean, before, expected):
    assert ago(NOW - before, now=NOW) == expected


def test_clock_day_and_both_put_the_time_of_day_first(korean):
    evening = datetime(2026, 11, 26, 14, 29, tzinfo=ZoneInfo("UTC"))  # 23:29 in Seoul
    morning = datetime(2026, 11, 27, 9, 5, tzinfo=SEOUL)

    assert clock(evening) == "오후 11:29"
    assert clock(morning) == "오전 9:05"
    assert day(evening, now=NOW) == "11월 26일 (목)"
    assert day(date(2025, 3, 1), now=NOW) == "2025년 3월 1일 (토)"
    assert day_clock(morning, now=NOW) == "11월 27일 (금) 오전 9:05"


def test_english_pages_get_english_times_and_no_particles():
    with translation.override("en"):
        assert ago(NOW - timedelta(days=2), now=NOW) == "2 days ago"
        assert clock(datetime(2026, 11, 26, 23, 29, tzinfo=SEOUL)) == "11:29 PM"
        assert day(NOW, now=NOW) == "Thu, Nov 26"
        assert josa("콩이", "와") == "콩이"


def test_the_template_filters_use_the_same_helpers(korean):
    rendered = Template(
        '{% load korean_text %}{{ name|josa:"와" }} · {{ species|josa:"으로" }} · {{ when|clock }}'
    ).render(
        Context({"name": "밤톨", "species": "강아지", "when": datetime(2026, 1, 1, 0, 10, tzinfo=SEOUL)})
    )

    assert rendered == "밤톨과 · 강아지로 · 오전 12:10"


def test_the_korean_date_formats_put_the_time_of_day_before_the_clock(korean):
    from django.utils import formats

    moment = datetime(2026, 11, 26, 23, 29, tzinfo=SEOUL)
    assert formats.date_format(moment, "DATETIME_FORMAT") == "2026년 11월 26일 오후 11:29"
    assert formats.time_format(moment, "TIME_FORMAT") == "오후 11:29"
