"""Demo legal pages for `seed_demo`, with every demo member's agreement recorded."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.selectors import site_root

from .models import Consent, LegalDocument, LegalPage

DEMO_PAGES = [
    (
        LegalDocument.TERMS,
        "이용약관",
        "terms",
        True,
        "페트라슈 이용약관에 동의해요.",
        "<p>페트라슈는 반려인을 위한 커뮤니티예요. 서로를 존중하고, 반려동물의 안전을 먼저 생각해 주세요.</p>",
    ),
    (
        LegalDocument.PRIVACY,
        "개인정보 처리방침",
        "privacy-policy",
        True,
        "개인정보 수집·이용에 동의해요.",
        "<p>가입할 때 아이디, 이메일, 닉네임을 받아요. 회원탈퇴하면 바로 지우고, 법이 정한 기록만 익명으로 보관해요.</p>",
    ),
    (
        LegalDocument.MARKETING,
        "소식 받기",
        "news-emails",
        False,
        "이벤트와 새 소식을 이메일로 받을게요.",
        "<p>월드컵 이벤트와 새 기능 소식을 한 달에 한두 번 보내 드려요.</p>",
    ),
]


def seed_privacy() -> int:
    """Publishes the legal pages once and records the demo members' agreement; returns pages added."""
    home = site_root()
    if home is None:
        return 0
    added = 0
    for document, title, slug, required, summary, body in DEMO_PAGES:
        if LegalPage.objects.filter(document=document).exists():
            continue
        page = LegalPage(
            title=title,
            slug=slug,
            document=document,
            required=required,
            summary=summary,
            body=body,
            version=1,
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        added += 1
    now = timezone.now()
    required_pages = LegalPage.objects.live().filter(required=True)
    for member in get_user_model().objects.filter(is_active=True):
        for page in required_pages:
            Consent.objects.get_or_create(
                member=member,
                document=page.document,
                version=page.version,
                defaults={"required": True, "agreed_at": now},
            )
    return added
