from dataclasses import replace
from datetime import datetime, timedelta

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from walks import services
from walks.models import SEOUL, Walk, WalkBoardPage

DEFAULT_BOARD = "seoul-gangnam"


def seoul(days: int = 2, hour: int = 10, minute: int = 0) -> datetime:
    """An aware moment `days` from today at this Seoul clock time."""
    day = timezone.localdate(timezone=SEOUL) + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SEOUL)


def walk_input(**overrides) -> services.WalkInput:
    start = overrides.pop("start_at", None) or seoul()
    values = {
        "title": "양재천 산책 같이 해요",
        "description_html": "<p>천천히 <strong>같이</strong> 걸어요.</p>",
        "start_at": start,
        "end_at": start + timedelta(hours=1),
        "meeting_place": "양재천 영동2교 아래 벤치",
        "area": "양재천 근처",
        "dog_sizes": ("small", "medium"),
        "host_gender": "female",
        "preferred_gender": "any",
        "capacity": 4,
    }
    values.update(overrides)
    return services.WalkInput(**values)


def board(slug: str = DEFAULT_BOARD) -> WalkBoardPage:
    return WalkBoardPage.objects.get(slug=slug)


class WalkFactory(factory.django.DjangoModelFactory):
    """A walk posted the way members post them (through the service).

    Fields of ``WalkInput`` go to the service; anything else (a start in the past, a status)
    is written afterwards, as time passing would.
    """

    class Meta:
        model = Walk

    host = factory.SubFactory(UserFactory)
    board = factory.LazyFunction(board)

    @classmethod
    def _create(cls, model_class, *args, host, board, joiners=(), **kwargs):
        fields = set(services.WalkInput.__dataclass_fields__)
        data = walk_input(**{key: kwargs.pop(key) for key in list(kwargs) if key in fields})
        if data.start_at <= timezone.now():
            # Posted while it was still to come; its time has passed since.
            kwargs.update(start_at=data.start_at, end_at=data.end_at)
            data = replace(data, start_at=seoul(1), end_at=seoul(1) + (data.end_at - data.start_at))
        walk = services.walk_create(host=host, board_id=board.pk, data=data)
        for member in joiners:
            services.walk_join(walk_id=walk.pk, member=member)
        if kwargs:
            Walk.objects.filter(pk=walk.pk).update(**kwargs)
        walk.refresh_from_db()
        return walk
