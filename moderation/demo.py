"""Demo reports for `seed_demo`, so the review queue has something in it."""

from django.contrib.auth import get_user_model

from community.models import Post

from . import services
from .models import Case, ReportReason

User = get_user_model()
DEMO_REPORTS = [
    ("dubu", ReportReason.SPAM, ""),
    ("kongi", ReportReason.SPAM, "같은 글을 계속 올려요."),
    ("nabi", ReportReason.ABUSE, "댓글에서 다른 분을 놀렸어요."),
]


def seed_moderation(*, cases: int = 3) -> int:
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
                services.report_create(
                    reporter=reporters[username],
                    target_type="post",
                    object_id=post.pk,
                    reason=reason,
                    text=text,
                )
        made += 1
    return made
