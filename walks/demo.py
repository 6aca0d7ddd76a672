"""Demo walks for `seed_demo`: a dozen walks on the regional boards, some open, some full, some past.

The walk index and its boards come from the migration (walks/migrations/0002_walk_pages.py);
if staff deleted them, `ensure_walk_pages` puts them back through Wagtail's tree API.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.selectors import site_root

from . import services
from .models import SEOUL, Walk, WalkBoardPage, WalkIndexPage

User = get_user_model()

DEMO_BOARDS = [
    ("seoul-gangnam", "서울 강남구 산책", "서울 강남구"),
    ("seoul-mapo", "서울 마포구 산책", "서울 마포구"),
    ("busan-haeundae", "부산 해운대구 산책", "부산 해운대구"),
]


@dataclass(frozen=True)
class DemoWalk:
    board: str
    host: str
    title: str
    description: str
    day: int  # days from today (negative: in the past)
    start: str  # Seoul clock time
    hours: float
    area: str
    place: str
    sizes: tuple[str, ...]
    host_gender: str
    preferred: str
    capacity: int
    joiners: tuple[str, ...] = ()
    status: str = "open"  # or "closed" / "cancelled" (by the host, after the joins)


DEMO_WALKS = [
    DemoWalk(
        "seoul-gangnam",
        "dubu",
        "양재천 아침 산책 같이 해요",
        "<p>두부랑 <strong>천천히</strong> 걸어요. 물과 배변봉투는 각자 챙겨 주세요.</p>",
        1,
        "07:30",
        1,
        "양재천 근처",
        "양재천 영동2교 아래 벤치",
        ("small", "medium"),
        "female",
        "any",
        4,
        ("kongi",),
    ),
    DemoWalk(
        "seoul-gangnam",
        "choco_mom",
        "선정릉 한 바퀴 (소형견)",
        "<p>겁 많은 초코와 함께 <em>조용히</em> 걸을 친구를 찾아요.</p><ul><li>소형견만</li><li>간식 나눔 환영</li></ul>",
        2,
        "10:00",
        1.5,
        "선릉역 근처",
        "선정릉 정문 매표소 앞",
        ("small",),
        "female",
        "female",
        3,
        ("hodu", "dangdang"),
    ),
    DemoWalk(
        "seoul-gangnam",
        "jindo_kim",
        "저녁 대형견 산책 모임",
        "<p>에너지 넘치는 대형견끼리 넓은 공원에서 걸어요.</p>",
        3,
        "19:30",
        2,
        "도곡동",
        "도곡공원 농구장 옆",
        ("large",),
        "male",
        "any",
        6,
        ("bori_papa",),
    ),
    DemoWalk(
        "seoul-gangnam",
        "poodle_lee",
        "밤 산책 (조용히)",
        "<p>퇴근 후 늦은 산책, 짧게 돌아요.</p>",
        1,
        "22:30",
        1,
        "역삼동",
        "역삼 문화공원 입구",
        ("small", "medium"),
        "female",
        "female",
        2,
        ("gaeul",),
    ),
    DemoWalk(
        "seoul-gangnam",
        "kongi",
        "지난주 양재천 번개",
        "<p>즐거웠어요! 다음에 또 만나요.</p>",
        -5,
        "08:00",
        1,
        "양재천 근처",
        "양재천 카페거리 입구",
        ("small", "medium", "large"),
        "male",
        "any",
        5,
        ("dubu", "maru_love"),
    ),
    DemoWalk(
        "seoul-mapo",
        "coco.walk",
        "망원 한강공원 주말 산책",
        "<p>코코와 함께 <strong>한강</strong> 따라 걸어요. 사진도 찍어 드려요 📷</p>",
        4,
        "09:00",
        2,
        "망원동",
        "망원 한강공원 3번 출입구",
        ("small", "medium", "large"),
        "female",
        "any",
        8,
        ("dangdang", "mong_e"),
    ),
    DemoWalk(
        "seoul-mapo",
        "maru_love",
        "경의선숲길 오후 산책",
        "<p>연남동 쪽에서 출발해 홍대입구까지 걸어요.</p>",
        2,
        "15:00",
        1.5,
        "연남동",
        "경의선숲길 연남동 입구 시계탑",
        ("small", "medium"),
        "unspecified",
        "any",
        4,
    ),
    DemoWalk(
        "seoul-mapo",
        "mong_e",
        "월드컵공원 저녁 산책",
        "<p>하늘공원 계단은 빼고 평지로만 걸어요.</p>",
        5,
        "18:30",
        1.5,
        "상암동",
        "월드컵공원 평화의공원 주차장",
        ("medium", "large"),
        "female",
        "any",
        4,
        status="closed",
    ),
    DemoWalk(
        "seoul-mapo",
        "nuri",
        "비 오면 취소! 성미산 산책",
        "<p>비 예보가 있어 취소했어요. 다음에 만나요.</p>",
        3,
        "11:00",
        1,
        "성산동",
        "성미산 마을극장 앞",
        ("small",),
        "female",
        "any",
        4,
        ("ttokki",),
        status="cancelled",
    ),
    DemoWalk(
        "busan-haeundae",
        "shiba_park",
        "해운대 해변 아침 산책",
        '<p>시바와 함께 모래사장을 걸어요. <a href="https://www.haeundae.go.kr">해운대구청</a> 반려견 규칙을 지켜 주세요.</p>',
        2,
        "06:30",
        1,
        "해운대 해변",
        "해운대 해수욕장 이벤트 광장",
        ("small", "medium", "large"),
        "male",
        "any",
        6,
        ("haru_dog", "bbobbi"),
    ),
    DemoWalk(
        "busan-haeundae",
        "haru_dog",
        "동백섬 한 바퀴 (정원 마감)",
        "<p>동백섬 둘레길을 천천히 돌아요.</p>",
        3,
        "17:00",
        1,
        "동백섬",
        "동백섬 입구 최치원 동상 앞",
        ("small",),
        "female",
        "any",
        3,
        ("bbobbi", "shiba_park"),
    ),
    DemoWalk(
        "busan-haeundae",
        "bbobbi",
        "APEC나루공원 어제 산책",
        "<p>어제 함께해 주셔서 감사해요!</p>",
        -1,
        "19:00",
        1,
        "센텀시티",
        "APEC나루공원 영화의전당 쪽 입구",
        ("medium",),
        "female",
        "any",
        4,
        ("shiba_park",),
    ),
]


def ensure_walk_pages() -> dict[str, WalkBoardPage]:
    """The walk index and the demo boards (recreated if staff removed them), by slug."""
    index = WalkIndexPage.objects.first()
    if index is None:
        index = site_root().add_child(instance=WalkIndexPage(title="산책 친구 찾기", slug="walks"))
    boards = {board.slug: board for board in WalkBoardPage.objects.child_of(index)}
    for slug, title, region in DEMO_BOARDS:
        if slug not in boards:
            boards[slug] = index.add_child(instance=WalkBoardPage(title=title, slug=slug, region=region))
    return boards


def _moment(day: int, clock: str) -> datetime:
    date = timezone.localdate(timezone=SEOUL) + timedelta(days=day)
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime(date.year, date.month, date.day, hours, minutes, tzinfo=SEOUL)


# Meeting points of the demo walks that have one (public parks and streams, roughly).
DEMO_POINTS = {
    "양재천 아침 산책 같이 해요": (37.4838, 127.0446),
    "선정릉 한 바퀴 (소형견)": (37.5087, 127.0488),
    "저녁 대형견 산책 모임": (37.4905, 127.0430),
    "밤 산책 (조용히)": (37.4960, 127.0400),
    "지난주 양재천 번개": (37.4780, 127.0390),
    "망원 한강공원 주말 산책": (37.5545, 126.8950),
    "경의선숲길 오후 산책": (37.5610, 126.9240),
}


@transaction.atomic
def seed_walks() -> int:
    """Adds the demo walks unless demo members already host walks. Returns how many were made."""
    hosts = {demo.host for demo in DEMO_WALKS}
    if Walk.objects.filter(host__username__in=hosts).exists():
        return 0
    boards = ensure_walk_pages()
    members = {
        user.username: user
        for user in User.objects.filter(
            username__in={*hosts, *(name for demo in DEMO_WALKS for name in demo.joiners)}
        )
    }
    made = 0
    for demo in DEMO_WALKS:
        if demo.host not in members:
            continue
        start = _moment(demo.day, demo.start)
        # Past walks are posted as if a week earlier, joined, then moved to their real time.
        posted_start = start if demo.day > 0 else _moment(1, demo.start)
        data = services.WalkInput(
            title=demo.title,
            description_html=demo.description,
            start_at=posted_start,
            end_at=posted_start + timedelta(hours=demo.hours),
            meeting_place=demo.place,
            area=demo.area,
            dog_sizes=demo.sizes,
            host_gender=demo.host_gender,
            preferred_gender=demo.preferred,
            capacity=demo.capacity,
            latitude=DEMO_POINTS.get(demo.title, (None, None))[0],
            longitude=DEMO_POINTS.get(demo.title, (None, None))[1],
        )
        walk = services.walk_create(host=members[demo.host], board_id=boards[demo.board].pk, data=data)
        for name in demo.joiners:
            if name in members:
                services.walk_join(walk_id=walk.pk, member=members[name])
        if demo.status == "closed":
            services.walk_close(walk_id=walk.pk, member=members[demo.host])
        elif demo.status == "cancelled":
            services.walk_cancel(walk_id=walk.pk, member=members[demo.host])
        if posted_start != start:
            Walk.objects.filter(pk=walk.pk).update(
                start_at=start,
                end_at=start + timedelta(hours=demo.hours),
                created_at=start - timedelta(days=7),
            )
        made += 1
    return made
