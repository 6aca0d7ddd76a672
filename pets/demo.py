"""Demo pets for `seed_demo`: eight pets of demo members, with real photos.

Each photo goes through the same service as a member's upload, so its dog / cat check is queued
for the ml worker that `make run` starts: the verdicts appear once it has run. Two pets show the
notice: 까미's owner chose a cat photo by mistake (and says so in her intro).
Running it again adds nothing. community/demo.py then tags the new pets in their owners' posts.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import File
from django.db import transaction

from . import services
from .models import Pet

User = get_user_model()
DEMO_PHOTOS = Path(__file__).resolve().parent.parent / "site_core" / "demo_photos"

DOG, CAT, CHELSEA = (
    "gcompris_farm_dog.webp",
    "gcompris_farm_cat.webp",
    "skimage_chelsea.png",
)
# owner, name, species, breed, sex, neutered, approximate age, size, intro, photo
DEMO_PETS = [
    ("dubu", "두부", "dog", "말티즈", "male", True, 4, "small", "한강 산책을 제일 좋아하는 두부예요.", DOG),
    (
        "dubu",
        "보리",
        "dog",
        "진돗개",
        "female",
        True,
        2,
        "medium",
        "산책 나가자는 말만 들으면 현관 앞에 앉아 있어요.",
        DOG,
    ),
    ("kongi", "콩이", "dog", "말티즈", "female", True, 3, "small", "간식 앞에서는 누구보다 빨라요.", DOG),
    ("kongi", "까미", "dog", "푸들", "female", False, 1, "small", "사진을 잘못 올린 것 같아요 😅", CHELSEA),
    (
        "nabi",
        "나비",
        "cat",
        "코리안 숏헤어",
        "female",
        True,
        5,
        "",
        "창가에서 햇볕 쬐는 게 취미예요.",
        CHELSEA,
    ),
    ("nabi", "치즈", "cat", "브리티시 숏헤어", "male", True, 2, "", "밥 달라고 제일 먼저 우는 아이.", CAT),
    ("choco_mom", "초코", "dog", "푸들", "male", True, 6, "small", "미용하고 온 날이 제일 예뻐요.", DOG),
    ("yaong", "야옹이", "cat", "러시안 블루", "female", True, 3, "", "낯가림이 심하지만 착해요.", CAT),
]


@transaction.atomic
def seed_pets() -> list[Pet]:
    """Adds the demo pets that are missing (their photo checks queued on commit) and returns them."""
    owners = {user.username: user for user in User.objects.filter(username__in={row[0] for row in DEMO_PETS})}
    added = []
    for username, name, species, breed, sex, neutered, age, size, intro, photo in DEMO_PETS:
        owner = owners.get(username)
        if owner is None or Pet.objects.not_deleted().filter(owner=owner, name=name).exists():
            continue
        with (DEMO_PHOTOS / photo).open("rb") as source:
            pet = services.pet_create(
                owner=owner,
                name=name,
                species=species,
                breed=breed,
                sex=sex,
                neutered=neutered,
                age_years=age,
                size=size,
                intro=intro,
                photo=File(source, name=photo),
            )
        added.append(pet)
    return added
