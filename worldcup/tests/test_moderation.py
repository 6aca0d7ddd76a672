"""World Cup entries in the moderation queue, and suspended members at the World Cup."""

import pytest

from moderation.guards import MemberSuspended
from moderation.models import ActionKind, Case
from moderation.tests.factories import act, report
from search.selectors import site_search
from worldcup import selectors, services
from worldcup.models import Entry, Match
from worldcup.tests.factories import enter, enter_many, play

pytestmark = pytest.mark.django_db


def test_a_reported_entry_is_withdrawn_by_hiding_and_keeps_its_results(
    event, member, other_member, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = enter(event, name="광고견", member=other_member)
        enter_many(event, 3)
    play(event, member)
    case = report(member, entry, target_type="worldcup_entry")

    assert case.member == other_member
    with django_capture_on_commit_callbacks(execute=True):
        act(case, moderator, ActionKind.HIDE, reason="광고 사진입니다")

    entry.refresh_from_db()
    assert entry.is_withdrawn
    assert entry.withdrawn_reason == "광고 사진입니다"
    assert Case.objects.get(pk=case.pk).status == "closed"
    assert entry not in Entry.objects.active()
    assert site_search(viewer=member, raw_query="광고견", types=["entries"]).pages[0].results == []
    standings, _games = selectors.leaderboard(event=event)
    assert entry.pk in {row.entry.pk for row in standings}, "past results stay on the leaderboard"


def test_a_withdrawn_entry_cannot_be_reported(event, member, other_member):
    entry = enter(event, member=other_member)
    Entry.objects.filter(pk=entry.pk).update(withdrawn_reason="이미 철회", withdrawn_at=entry.entered_at)

    with pytest.raises(Entry.DoesNotExist):
        report(member, entry, target_type="worldcup_entry")


def test_a_suspended_member_can_neither_enter_nor_vote(event, member, other_member, moderator):
    from pets.tests.factories import PetFactory

    enter_many(event, 4)
    game = services.game_start(event_id=event.pk, player=other_member)
    pet = PetFactory(owner=other_member)
    act(report(member, other_member, target_type="member"), moderator, ActionKind.SUSPEND, reason="도배")

    with pytest.raises(MemberSuspended) as error:
        services.entry_create(event_id=event.pk, member=other_member, pet_id=pet.pk)
    assert "도배" in str(error.value)
    match = selectors.current_match(game=game)
    with pytest.raises(MemberSuspended):
        services.game_pick(
            game_id=game.pk, player=other_member, match_id=match.pk, winner_id=match.entry_a_id
        )
    with pytest.raises(MemberSuspended):
        services.game_start(event_id=event.pk, player=other_member)
    assert not Entry.objects.filter(member=other_member).exists()
    assert not Match.objects.filter(game=game, winner__isnull=False).exists()
