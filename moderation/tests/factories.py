from datetime import timedelta

from django.utils import timezone

from moderation import services
from moderation.models import ActionKind, ReportReason


def report(reporter, target, *, target_type: str = "post", reason: str = ReportReason.SPAM, text: str = ""):
    """A member's report, made the way members make them (merged into the target's case)."""
    return services.report_create(
        reporter=reporter, target_type=target_type, object_id=target.pk, reason=reason, text=text
    )


def act(case, moderator, kind: str = ActionKind.HIDE, reason: str = "광고 글이에요", until=None):
    if kind == ActionKind.SUSPEND and until is None:
        until = timezone.now() + timedelta(days=3)
    return services.case_act(case_id=case.pk, moderator=moderator, kind=kind, reason=reason, until=until)
