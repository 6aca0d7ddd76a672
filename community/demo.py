"""Demo community content for `seed_demo`: members, Korean posts with photos, and activity."""

import random
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from . import services
from .models import Comment, Follow, Like, Post, PostPhoto

User = get_user_model()
DEMO_PHOTOS = Path(__file__).resolve().parent.parent / "site_core" / "demo_photos"
PHOTO_ALT = {
    "gcompris_farm_dog.webp": "풀밭에 앉아 있는 강아지",
    "gcompris_farm_cat.webp": "앞을 바라보는 고양이",
    "skimage_chelsea.png": "줄무늬 고양이의 얼굴",
    "skimage_coffee.png": "애견 카페에서 마신 커피 한 잔",
}
EXTRA_MEMBERS = [
    ("choco_mom", "초코맘"),
    ("bori_papa", "보리아빠"),
    ("coco.walk", "코코산책"),
    ("maru_love", "마루사랑"),
    ("hodu", "호두누나"),
    ("dangdang", "댕댕이집사"),
    ("mong_e", "몽이네"),
    ("nuri", "누리엄마"),
    ("ttokki", "또치"),
    ("gaeul", "가을이네"),
    ("haru_dog", "하루와하루"),
    ("jindo_kim", "진돗개김씨"),
    ("poodle_lee", "푸들이모"),
    ("shiba_park", "시바박"),
    ("yaong", "야옹대장"),
    ("bbobbi", "뽀삐"),
    ("dubu_fan", "두부팬"),
]
DOGS = ["두부", "콩이", "초코", "보리", "코코", "마루", "호두", "몽이", "누리", "하루", "뽀삐", "까미"]
PLACES = [
    "한강공원",
    "올림픽공원",
    "서울숲",
    "동네 공원",
    "애견 카페",
    "석촌호수",
    "북한산 둘레길",
    "집 앞 산책로",
]
OPENERS = [
    "오늘 {dog}랑 {place}에 다녀왔어요.",
    "{dog}가 처음으로 {place}에 갔어요!",
    "비가 그쳐서 {dog}와 {place} 한 바퀴.",
    "{place}에서 친구 강아지들을 만났어요.",
    "주말 아침, {dog}와 {place} 산책.",
    "{dog} 미용하고 {place} 나들이했어요.",
]
MIDDLES = [
    "날씨가 좋아서 오래 걸었어요.",
    "간식을 너무 좋아해서 큰일이에요.",
    "처음 보는 친구한테도 꼬리를 흔들었어요.",
    "집에 오자마자 바로 잠들었어요.",
    "사진 찍기가 이렇게 어려운 줄 몰랐어요.",
    "다음에는 같이 산책할 친구를 찾고 싶어요.",
]
TAGS = [
    "#산책",
    "#강아지",
    "#댕댕이",
    "#반려견",
    "#간식",
    "#한강",
    "#공원",
    "#말티즈",
    "#푸들",
    "#시바견",
    "#진돗개",
    "#고양이",
    "#냥스타그램",
    "#애견카페",
    "#주말",
    "#Walk",
    "#DogLife",
]
COMMENTS = [
    "너무 귀여워요!",
    "저희 동네에도 오세요 ㅎㅎ",
    "같이 산책해요~",
    "사진 잘 나왔네요",
    "부럽다...",
    "몇 살이에요?",
    "오늘 날씨 최고였죠",
    "간식 정보 공유해주세요!",
]


def _post_text(rng: random.Random) -> str:
    dog, place = rng.choice(DOGS), rng.choice(PLACES)
    tags = " ".join(rng.sample(TAGS, rng.randint(1, 3)))
    return f"{rng.choice(OPENERS).format(dog=dog, place=place)} {rng.choice(MIDDLES)}\n{tags}"


def _stored_photos() -> list[tuple[dict, str]]:
    """Each demo photo rendered and stored once; posts share the stored files."""
    author = User.objects.order_by("pk").first()
    rendered = []
    for name, alt in PHOTO_ALT.items():
        with (DEMO_PHOTOS / name).open("rb") as source:
            post = services.post_create(
                author=author, text="", photos=[services.PhotoUpload(File(source, name=name), alt)]
            )
        photo = post.photos.get()
        rendered.append(
            (
                {
                    "full": photo.full.name,
                    "display": photo.display.name,
                    "thumb": photo.thumb.name,
                    "width": photo.width,
                    "height": photo.height,
                },
                alt,
            )
        )
        post.delete()
    return rendered


@transaction.atomic
def seed_community(*, password_hash: str, posts: int = 200, seed: int = 7) -> int:
    """Adds demo members and posts unless posts already exist. Returns the number of posts made."""
    if Post.objects.exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - demo content, not security
    for username, nickname in EXTRA_MEMBERS:
        User.objects.get_or_create(
            username=username,
            defaults={
                "nickname": nickname,
                "email": f"{username}@petrasche.local",
                "password": password_hash,
            },
        )
    members = list(User.objects.filter(is_staff=False, groups__isnull=True).order_by("pk"))
    photos = _stored_photos()
    now = timezone.now()
    for number in range(posts):
        author = rng.choice(members)
        post = services.post_create(author=author, text=_post_text(rng))
        created = now - timedelta(minutes=rng.randint(5, 60 * 24 * 30))
        Post.objects.filter(pk=post.pk).update(created_at=created)
        if number % 3 != 2:
            files, alt = rng.choice(photos)
            PostPhoto.objects.create(post=post, alt_text=alt, **files)
        fans = rng.sample(members, rng.randint(0, min(12, len(members))))
        Like.objects.bulk_create([Like(user=fan, post=post, created_at=created) for fan in fans])
        commenters = rng.sample(members, rng.randint(0, 3))
        Comment.objects.bulk_create(
            [Comment(post=post, author=c, text=rng.choice(COMMENTS), created_at=created) for c in commenters]
        )
        Post.objects.filter(pk=post.pk).update(like_count=len(fans), comment_count=len(commenters))
    for follower in members:
        for following in rng.sample(members, 6):
            if following != follower:
                Follow.objects.get_or_create(follower=follower, following=following)
    by_name = {member.username: member for member in members}
    _recent_activity_for(
        by_name["dubu"], [by_name[name] for name in ("kongi", "nabi", "choco_mom", "bori_papa")]
    )
    return posts


def _recent_activity_for(member, friends) -> None:
    """A little fresh activity so the first demo member has unread notifications."""
    post = services.post_create(
        author=member, text="오늘 #산책 하면서 찍은 사진이에요. @kongi 다음에 같이 가요!"
    )
    for friend in friends:
        services.like_add(post_id=post.pk, member=friend)
    services.comment_create(post_id=post.pk, author=friends[0], text="우와 좋네요! 같이 가요 🐶")
    services.follow_add(follower=friends[-1], following=member)
