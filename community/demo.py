"""Demo community content for `seed_demo`: members, Korean posts with photos, and activity; the
demo pets tagged in posts, and reports on a few posts so the review queue has something in it."""

import random
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone, translation

from core.korean_text import josa
from moderation import services as moderation_services
from moderation.models import Case, ReportReason

from . import services
from .models import Comment, Follow, Like, Post, PostPhoto

User = get_user_model()
DEMO_PHOTOS = Path(__file__).resolve().parent.parent / "site_core" / "demo_photos"
DOG_PHOTO, CAT_PHOTO, CAT_FACE_PHOTO, COFFEE_PHOTO = (
    "gcompris_farm_dog.webp",
    "gcompris_farm_cat.webp",
    "skimage_chelsea.png",
    "skimage_coffee.png",
)
PHOTO_ALT = {
    DOG_PHOTO: "풀밭에 앉아 있는 강아지",
    CAT_PHOTO: "앞을 바라보는 고양이",
    CAT_FACE_PHOTO: "줄무늬 고양이의 얼굴",
    COFFEE_PHOTO: "애견 카페 테이블 위의 커피 한 잔",
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


@dataclass(frozen=True)
class Companion:
    """Who a demo member writes about: every post of theirs is about this dog or cat."""

    name: str
    species: str  # "dog" or "cat"
    breed_tag: str
    place: str  # where they usually walk (dogs)


# Members who live with a cat write about their cat; everyone else about their dog.
COMPANIONS = {
    "dubu": Companion("두부", "dog", "#말티즈", "한강공원"),
    "kongi": Companion("콩이", "dog", "#말티즈", "양재천"),
    "nabi": Companion("나비", "cat", "#코숏", ""),
    "yaong": Companion("야옹이", "cat", "#러시안블루", ""),
    "choco_mom": Companion("초코", "dog", "#푸들", "석촌호수"),
    "bori_papa": Companion("보리", "dog", "#진돗개", "올림픽공원"),
    "coco.walk": Companion("코코", "dog", "#비숑", "서울숲"),
    "maru_love": Companion("마루", "dog", "#시바견", "북서울꿈의숲"),
    "hodu": Companion("호두", "dog", "#포메라니안", "망원한강공원"),
    "dangdang": Companion("밤톨", "dog", "#웰시코기", "보라매공원"),
    "mong_e": Companion("몽이", "dog", "#믹스견", "안양천"),
    "nuri": Companion("누리", "dog", "#골든리트리버", "일산호수공원"),
    "ttokki": Companion("또치", "dog", "#닥스훈트", "경의선숲길"),
    "gaeul": Companion("가을", "dog", "#진돗개", "탄천"),
    "haru_dog": Companion("하루", "dog", "#말티푸", "중랑천"),
    "jindo_kim": Companion("백구", "dog", "#진돗개", "북한산 둘레길"),
    "poodle_lee": Companion("구름", "dog", "#푸들", "서울숲"),
    "shiba_park": Companion("콩떡", "dog", "#시바견", "한강공원"),
    "bbobbi": Companion("뽀삐", "dog", "#포메라니안", "동네 공원"),
    "dubu_fan": Companion("단추", "dog", "#비글", "올림픽공원"),
}
DEFAULT_COMPANION = Companion("복실", "dog", "#믹스견", "동네 공원")

# Posts by theme: the text, the photo it may carry (None: text only) and its tags. {pet} is the
# dog's or cat's name, {place} the dog's usual walk; particles are chosen for the name.
DOG_POSTS = [
    ("오늘 {pet_with} {place}에 다녀왔어요. 날씨가 좋아서 오래 걸었어요.", DOG_PHOTO, ["#산책", "#강아지"]),
    (
        "비가 그쳐서 {pet_with} {place} 한 바퀴 돌았어요. 발 닦이는 게 제일 큰일이에요 😂",
        DOG_PHOTO,
        ["#산책"],
    ),
    (
        "주말 아침 {place} 산책. {pet_subject} 처음 보는 친구한테도 꼬리를 흔들었어요.",
        DOG_PHOTO,
        ["#산책", "#주말"],
    ),
    ("{pet_with} 애견 카페에 다녀왔어요. 저는 커피, {pet_topic} 멍푸치노!", COFFEE_PHOTO, ["#애견카페"]),
    ("{pet} 미용하고 왔어요. 이번에는 짧게 잘랐는데 어때요?", DOG_PHOTO, ["#강아지", "#미용"]),
    (
        "간식 봉지 소리만 나면 {pet_subject} 어디서든 달려와요. 요즘 잘 먹는 간식 있으면 추천해 주세요!",
        None,
        ["#간식"],
    ),
    ("{pet_subject} 산책 다녀오자마자 바로 잠들었어요. 오늘 많이 걸었나 봐요.", DOG_PHOTO, ["#반려견"]),
    ("{place} 근처에서 같이 산책할 친구 찾아요. 소형견, 중형견 다 좋아요!", None, ["#산책친구", "#산책"]),
    ("{pet} 슬개골 검진 받고 왔어요. 다행히 괜찮대요. 다들 정기 검진 챙기세요.", None, ["#반려견", "#건강"]),
    (
        "날이 추워져서 {pet_object} 위해 패딩을 샀어요. 처음엔 어색해하더니 금방 적응했어요.",
        DOG_PHOTO,
        ["#강아지"],
    ),
]
CAT_POSTS = [
    ("{pet_subject} 오늘도 창가에서 햇볕을 쬐고 있어요.", CAT_PHOTO, ["#고양이", "#집사"]),
    (
        "새로 산 숨숨집은 안 쓰고 택배 상자에만 들어가요. {pet} 마음은 알 수가 없어요.",
        CAT_FACE_PHOTO,
        ["#고양이"],
    ),
    ("밥 시간 5분 전부터 {pet_subject} 저를 빤히 쳐다봐요.", CAT_FACE_PHOTO, ["#냥스타그램", "#집사"]),
    ("{pet} 발톱 깎기 성공! 간식으로 겨우 달랬어요.", None, ["#고양이", "#집사"]),
    ("새벽 4시 우다다 시간... {pet} 덕분에 오늘도 일찍 일어났어요.", CAT_PHOTO, ["#냥스타그램"]),
]
DOG_COMMENTS = [
    "너무 귀여워요!",
    "저희 동네에도 놀러 오세요 ㅎㅎ",
    "다음에 같이 산책해요~",
    "사진 잘 나왔네요",
    "몇 살이에요?",
    "오늘 날씨 최고였죠",
    "간식 정보 공유해 주세요!",
    "꼬리 흔드는 모습이 눈에 선해요 🐶",
]
CAT_COMMENTS = [
    "너무 귀여워요!",
    "고양이들은 다 상자를 좋아하나 봐요 ㅋㅋ",
    "저희 집 아이도 똑같아요",
    "사진 잘 나왔네요",
    "집사님 고생 많으세요 😹",
]


def _post(rng: random.Random, companion: Companion) -> tuple[str, str | None, list[str]]:
    """One post about ``companion``: its text (with tags), its photo file or None, and the comments
    that fit it."""
    posts, comments = (CAT_POSTS, CAT_COMMENTS) if companion.species == "cat" else (DOG_POSTS, DOG_COMMENTS)
    text, photo, tags = rng.choice(posts)
    with korean():
        text = text.format(
            pet=companion.name,
            pet_with=josa(companion.name, "와"),
            pet_subject=josa(companion.name, "가"),
            pet_topic=josa(companion.name, "는"),
            pet_object=josa(companion.name, "를"),
            place=companion.place,
        )
    tags = [*tags, companion.breed_tag][: rng.randint(1, 3)]
    return f"{text}\n{' '.join(tags)}", photo, comments


def korean():
    return translation.override("ko")


def _stored_photos() -> dict[str, tuple[dict, str]]:
    """Each demo photo rendered and stored once; posts share the stored files."""
    author = User.objects.order_by("pk").first()
    rendered = {}
    for name, alt in PHOTO_ALT.items():
        with (DEMO_PHOTOS / name).open("rb") as source:
            post = services.post_create(
                author=author, text="", photos=[services.PhotoUpload(File(source, name=name), alt)]
            )
        photo = post.photos.get()
        rendered[name] = (
            {
                "full": photo.full.name,
                "display": photo.display.name,
                "thumb": photo.thumb.name,
                "width": photo.width,
                "height": photo.height,
            },
            alt,
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
    for _ in range(posts):
        author = rng.choice(members)
        text, photo, comments = _post(rng, COMPANIONS.get(author.username, DEFAULT_COMPANION))
        post = services.post_create(author=author, text=text)
        created = now - timedelta(minutes=rng.randint(5, 60 * 24 * 30))
        Post.objects.filter(pk=post.pk).update(created_at=created)
        if photo is not None:
            files, alt = photos[photo]
            PostPhoto.objects.create(post=post, alt_text=alt, **files)
        fans = rng.sample(members, rng.randint(0, min(12, len(members))))
        Like.objects.bulk_create([Like(user=fan, post=post, created_at=created) for fan in fans])
        commenters = rng.sample(members, rng.randint(0, 3))
        Comment.objects.bulk_create(
            [Comment(post=post, author=c, text=rng.choice(comments), created_at=created) for c in commenters]
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


TAGGED_POSTS_PER_PET = 2


def tag_demo_pets(pets) -> None:
    """Tags each pet in its owner's posts that mention it, or else in their latest ones."""
    for pet in pets:
        posts = Post.objects.not_deleted().filter(author=pet.owner).order_by("-created_at")
        chosen = list(posts.filter(text__contains=pet.name)[:TAGGED_POSTS_PER_PET])
        if not chosen:
            chosen = list(posts[:TAGGED_POSTS_PER_PET])
        pet.posts.add(*chosen)


DEMO_REPORTS = [
    ("dubu", ReportReason.SPAM, ""),
    ("kongi", ReportReason.SPAM, "같은 글을 계속 올려요."),
    ("nabi", ReportReason.ABUSE, "댓글에서 다른 분을 놀렸어요."),
]


def seed_reports(*, cases: int = 3) -> int:
    """Reports on a few members' posts unless cases exist. Returns the number of open cases made."""
    if Case.objects.exists():
        return 0
    reporters = {
        member.username: member for member in User.objects.filter(username__in=[r[0] for r in DEMO_REPORTS])
    }
    posts = Post.objects.not_deleted().filter(is_hidden=False).exclude(author__username__in=list(reporters))
    made = 0
    for post in posts.order_by("-like_count", "pk")[:cases]:
        for username, reason, text in DEMO_REPORTS:
            if username in reporters:
                moderation_services.report_create(
                    reporter=reporters[username],
                    target_type="post",
                    object_id=post.pk,
                    reason=reason,
                    text=text,
                )
        made += 1
    return made
