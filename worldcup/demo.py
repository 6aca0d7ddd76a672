"""Demo World Cup for `seed_demo`: the index "강아지 월드컵", this month's event open for entries
and voting with ten entries, and last month's closed event whose champion is the pet of the month.

The demo members' pets come from pets/demo.py; a few more members get a dog here so that the
bracket is full. Running it again adds nothing.
"""

import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import File
from django.db import transaction

from core.selectors import site_root
from pets import services as pets_services
from pets.models import Pet

from . import services
from .models import WorldCupEventPage, WorldCupIndexPage, month_start
from .selectors import current_match

User = get_user_model()
DEMO_PHOTOS = Path(__file__).resolve().parent.parent / "site_core" / "demo_photos"
INDEX_INTRO = (
    "<p>매달 열리는 우리 동네 반려동물 이상형 월드컵! 반려동물을 출전시키고, 두 친구 중 더 마음에 드는 "
    "친구를 골라 우승자를 뽑아 주세요. 월말에 가장 많이 우승한 친구가 <b>이달의 인기 반려동물</b>이 됩니다.</p>"
)
EVENT_INTRO = "<p>이번 달 가장 사랑받는 반려동물은 누구일까요? 지금 바로 출전하고 투표하세요!</p>"
RULES = (
    "<ul><li>회원 한 명당 한 마리만 출전할 수 있어요.</li>"
    "<li>게임마다 출전한 친구들 중에서 무작위로 대진표가 만들어져요.</li>"
    "<li>결과에는 회원마다 처음 끝까지 마친 한 게임만 반영돼요.</li></ul>"
)
# Dogs for members who have no pet in pets/demo.py: username, name, photo.
EXTRA_DOGS = [
    ("bori_papa", "보리", "gcompris_farm_dog.webp"),
    ("coco.walk", "코코", "gcompris_farm_dog.webp"),
    ("maru_love", "마루", "gcompris_farm_dog.webp"),
    ("hodu", "호두", "gcompris_farm_dog.webp"),
    ("dangdang", "밤톨", "gcompris_farm_dog.webp"),
    ("mong_e", "몽이", "gcompris_farm_dog.webp"),
    ("gaeul", "가을", "gcompris_farm_dog.webp"),
]
# A dog World Cup: members who live with a cat (nabi, yaong) vote but do not enter.
THIS_MONTH = [
    "dubu",
    "kongi",
    "dangdang",
    "choco_mom",
    "gaeul",
    "bori_papa",
    "coco.walk",
    "maru_love",
    "hodu",
    "mong_e",
]
LAST_MONTH = ["dubu", "kongi", "choco_mom", "hodu", "dangdang", "mong_e"]
LAST_MONTH_PLAYERS = ["gaeul", "haru_dog", "jindo_kim", "poodle_lee", "shiba_park"]


def ensure_index() -> WorldCupIndexPage:
    index = WorldCupIndexPage.objects.first()
    if index is None:
        index = site_root().add_child(
            instance=WorldCupIndexPage(title="강아지 월드컵", slug="worldcup", intro=INDEX_INTRO)
        )
    return index


def _demo_pets() -> dict[str, Pet]:
    """One pet per demo member (their first), adding the extra dogs that are missing."""
    members = {user.username: user for user in User.objects.filter(username__in={*THIS_MONTH, *LAST_MONTH})}
    for username, name, photo in EXTRA_DOGS:
        owner = members.get(username)
        if owner is None or Pet.objects.not_deleted().filter(owner=owner).exists():
            continue
        with (DEMO_PHOTOS / photo).open("rb") as source:
            pets_services.pet_create(owner=owner, name=name, species="dog", photo=File(source, name=photo))
    pets = {}
    for pet in (
        Pet.objects.not_deleted().filter(owner__in=members.values()).exclude(photo_full="").order_by("-pk")
    ):
        pets[pet.owner.username] = pet
    return pets


def _enter(event: WorldCupEventPage, usernames: list[str], pets: dict[str, Pet]) -> int:
    entered = 0
    for username in usernames:
        pet = pets.get(username)
        if pet is not None:
            services.entry_create(event_id=event.pk, member=pet.owner, pet_id=pet.pk)
            entered += 1
    return entered


def _play_to_the_end(event: WorldCupEventPage, player, rng: secrets.SystemRandom) -> None:
    game = services.game_start(event_id=event.pk, player=player)
    while not game.is_complete:
        match = current_match(game=game)
        winner = rng.choice([match.entry_a_id, match.entry_b_id])
        game = services.game_pick(game_id=game.pk, player=player, match_id=match.pk, winner_id=winner)


@transaction.atomic
def seed_worldcup() -> int:
    """Adds the demo events unless the World Cup already has events. Returns how many entries."""
    if WorldCupEventPage.objects.exists() or site_root() is None:
        return 0
    index = ensure_index()
    pets = _demo_pets()
    this_month = month_start()
    last_month = services.previous_month(this_month)
    rng = secrets.SystemRandom()

    # Last month's event is played as if it were open now, then moved back and closed.
    previous = WorldCupEventPage(
        title=services.event_title(last_month),
        slug=f"{last_month:%Y-%m}",
        intro=EVENT_INTRO,
        rules=RULES,
        bracket_size=8,
        month=last_month,
        **services.default_periods(this_month),
    )
    index.add_child(instance=previous)
    previous.save_revision().publish()
    entered = _enter(previous, LAST_MONTH, pets)
    for player in User.objects.filter(username__in=LAST_MONTH_PLAYERS):
        _play_to_the_end(previous, player, rng)
    WorldCupEventPage.objects.filter(pk=previous.pk).update(**services.default_periods(last_month))
    services.event_close(event_id=previous.pk)
    previous.refresh_from_db()

    current = services.event_create_for_month(month=this_month, template=previous)
    entered += _enter(current, THIS_MONTH, pets)
    return entered
