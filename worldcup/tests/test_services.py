"""Entries, the server-side bracket and the results, through the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.tests.factories import UserFactory
from pets import services as pets_services
from pets.tests.factories import PetFactory, fixture_photo
from worldcup import selectors, services
from worldcup.models import Entry, Game, Match
from worldcup.tests.factories import enter, enter_many, favouring, make_event, play


@pytest.mark.django_db
class TestEntries:
    def test_a_member_enters_their_pet_with_its_profile_photo(self, event, member):
        pet = PetFactory(owner=member, name="두부", photo=fixture_photo())

        entry = services.entry_create(event_id=event.pk, member=member, pet_id=pet.pk)

        assert entry.pet_name == "두부"
        assert entry.photo_display.name != pet.photo_display.name
        assert entry.photo_display.read() == pet.photo_display.read()

    def test_a_new_upload_is_checked_and_reencoded(self, event, member):
        pet = PetFactory(owner=member)

        entry = services.entry_create(event_id=event.pk, member=member, pet_id=pet.pk, photo=fixture_photo())

        assert entry.photo_display.name.endswith(".webp")
        assert entry.photo_thumb.name.endswith(".webp")

    def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored(self, event, member):
        pet = PetFactory(owner=member)
        upload = SimpleUploadedFile("dog.jpg", b"not an image", content_type="image/jpeg")

        with pytest.raises(ValidationError) as error:
            services.entry_create(event_id=event.pk, member=member, pet_id=pet.pk, photo=upload)

        assert "photo" in error.value.message_dict
        assert not Entry.objects.exists()

    def test_a_pet_without_a_photo_needs_an_upload(self, event, member):
        pet = PetFactory(owner=member)

        with pytest.raises(ValidationError):
            services.entry_create(event_id=event.pk, member=member, pet_id=pet.pk)
        assert not Entry.objects.exists()

    def test_only_your_own_pet(self, event, member, other_member):
        pet = PetFactory(owner=other_member, photo=fixture_photo())

        with pytest.raises(ValidationError):
            services.entry_create(event_id=event.pk, member=member, pet_id=pet.pk)
        assert not Entry.objects.exists()

    def test_once_per_event(self, event, member):
        first = PetFactory(owner=member, photo=fixture_photo())
        second = PetFactory(owner=member, photo=fixture_photo())
        services.entry_create(event_id=event.pk, member=member, pet_id=first.pk)

        with pytest.raises(ValidationError):
            services.entry_create(event_id=event.pk, member=member, pet_id=second.pk)
        assert Entry.objects.count() == 1

    def test_not_outside_the_entry_period(self, member):
        now = timezone.now()
        event = make_event(entry_opens_at=now - timedelta(days=3), entry_closes_at=now - timedelta(days=1))
        pet = PetFactory(owner=member, photo=fixture_photo())

        with pytest.raises(ValidationError):
            services.entry_create(event_id=event.pk, member=member, pet_id=pet.pk)
        assert not Entry.objects.exists()

    def test_the_entry_keeps_its_name_and_photo_after_the_pet_is_deleted(self, event, member):
        pet = PetFactory(owner=member, name="두부", photo=fixture_photo())
        entry = services.entry_create(event_id=event.pk, member=member, pet_id=pet.pk)
        photo = entry.photo_display.name

        pets_services.pet_update(pet_id=pet.pk, member=member, name="두부두부", remove_photo=True)
        pets_services.pet_delete(pet_id=pet.pk, member=member)

        entry.refresh_from_db()
        assert entry.pet_name == "두부"
        assert entry.photo_display.name == photo
        assert entry.photo_display.storage.exists(photo)

    def test_a_moderator_withdraws_an_entry_which_keeps_its_results(self, event, moderator):
        entries = enter_many(event, 2)
        play(event, UserFactory(), choose=favouring(entries[1]))

        services.entry_withdraw(
            entry_id=entries[1].pk, moderator=moderator, reason="사진이 반려동물이 아니에요"
        )

        row = {entry.pk: entry for entry in selectors.entries_with_results(event=event)}[entries[1].pk]
        assert row.is_withdrawn
        assert row.withdrawn_by == moderator
        assert (row.wins, row.championships) == (1, 1)
        assert entries[1] not in selectors.active_entries(event=event)

    def test_a_withdrawal_needs_a_reason(self, event, moderator):
        entry = enter(event)

        with pytest.raises(ValidationError):
            services.entry_withdraw(entry_id=entry.pk, moderator=moderator, reason="  ")
        entry.refresh_from_db()
        assert not entry.is_withdrawn


@pytest.mark.django_db
class TestBracket:
    def test_a_game_draws_bracket_size_entries_from_all_entries(self, event, member):
        enter_many(event, 11)

        game = services.game_start(event_id=event.pk, player=member)

        first_round = Match.objects.filter(game=game, round=8)
        assert (game.size, game.current_round, first_round.count()) == (8, 8, 4)
        drawn = {m.entry_a_id for m in first_round} | {m.entry_b_id for m in first_round}
        assert len(drawn) == 8
        assert all(m.winner_id is None for m in first_round)

    def test_fewer_entries_than_the_bracket_all_play_with_byes(self, event, member):
        entries = enter_many(event, 5)

        game = services.game_start(event_id=event.pk, player=member)

        matches = list(Match.objects.filter(game=game))
        byes = [m for m in matches if m.is_bye]
        assert game.size == 8
        assert len(matches) == 4
        assert len(byes) == 3
        assert all(m.winner_id == m.entry_a_id for m in byes)
        playing = {m.entry_a_id for m in matches} | {m.entry_b_id for m in matches if m.entry_b_id}
        assert playing == {e.pk for e in entries}

    def test_rounds_continue_to_a_champion(self, event, member):
        entries = enter_many(event, 8)

        game = play(event, member, choose=favouring(entries[3]))

        assert game.champion_id == entries[3].pk
        assert game.is_complete
        assert game.counted
        assert sorted(Match.objects.filter(game=game).values_list("round", flat=True)) == [
            2,
            4,
            4,
            8,
            8,
            8,
            8,
        ]

    def test_a_game_in_play_is_resumed(self, event, member):
        enter_many(event, 8)
        game = services.game_start(event_id=event.pk, player=member)
        match = selectors.current_match(game=game)
        services.game_pick(game_id=game.pk, player=member, match_id=match.pk, winner_id=match.entry_b_id)

        again = services.game_start(event_id=event.pk, player=member)

        assert again.pk == game.pk
        assert selectors.current_match(game=again).pk != match.pk
        assert Game.objects.count() == 1

    def test_a_repeated_pick_is_refused_and_changes_nothing(self, event, member):
        enter_many(event, 8)
        game = services.game_start(event_id=event.pk, player=member)
        match = selectors.current_match(game=game)
        services.game_pick(game_id=game.pk, player=member, match_id=match.pk, winner_id=match.entry_a_id)

        with pytest.raises(ValidationError):
            services.game_pick(game_id=game.pk, player=member, match_id=match.pk, winner_id=match.entry_b_id)

        match.refresh_from_db()
        assert match.winner_id == match.entry_a_id
        assert Match.objects.filter(game=game, winner__isnull=False).count() == 1

    def test_a_pick_for_a_later_match_or_a_stranger_entry_is_refused(self, event, member):
        entries = enter_many(event, 8)
        game = services.game_start(event_id=event.pk, player=member)
        current = selectors.current_match(game=game)
        later = Match.objects.filter(game=game, winner__isnull=True).exclude(pk=current.pk).first()
        stranger = next(e for e in entries if e.pk not in (current.entry_a_id, current.entry_b_id))

        with pytest.raises(ValidationError):
            services.game_pick(game_id=game.pk, player=member, match_id=later.pk, winner_id=later.entry_a_id)
        with pytest.raises(ValidationError):
            services.game_pick(game_id=game.pk, player=member, match_id=current.pk, winner_id=stranger.pk)

        assert not Match.objects.filter(game=game, winner__isnull=False).exists()

    def test_another_members_game_cannot_be_picked_in(self, event, member, other_member):
        enter_many(event, 8)
        game = services.game_start(event_id=event.pk, player=member)
        match = selectors.current_match(game=game)

        with pytest.raises(Game.DoesNotExist):
            services.game_pick(
                game_id=game.pk, player=other_member, match_id=match.pk, winner_id=match.entry_a_id
            )
        assert not Match.objects.filter(game=game, winner__isnull=False).exists()

    def test_no_game_without_two_entries_or_outside_voting(self, member):
        now = timezone.now()
        closed = make_event(
            month=None, voting_opens_at=now - timedelta(hours=20), voting_closes_at=now - timedelta(hours=1)
        )
        enter_many(closed, 3)
        lonely = make_event(title="혼자", month=None)
        enter(lonely)

        for event in (closed, lonely):
            with pytest.raises(ValidationError):
                services.game_start(event_id=event.pk, player=member)
        assert not Game.objects.exists()

    def test_withdrawn_entries_are_not_drawn(self, event, member, moderator):
        entries = enter_many(event, 3)
        services.entry_withdraw(entry_id=entries[0].pk, moderator=moderator, reason="중복 출전")

        game = services.game_start(event_id=event.pk, player=member)

        match = Match.objects.get(game=game)
        assert {match.entry_a_id, match.entry_b_id} == {entries[1].pk, entries[2].pk}


@pytest.mark.django_db
class TestResults:
    def test_only_the_first_completed_game_of_a_member_counts(self, event, member):
        entries = enter_many(event, 4)
        first = play(event, member, choose=favouring(entries[0]))
        second = play(event, member, choose=favouring(entries[1]))

        assert first.counted
        assert not second.counted
        standings, games = selectors.leaderboard(event=event)
        assert games == 1
        by_pk = {row.entry.pk: row for row in standings}
        assert by_pk[entries[0].pk].entry.championships == 1
        assert by_pk[entries[1].pk].entry.championships == 0

    def test_wins_losses_rates_and_champion_share(self, event):
        a, b = enter_many(event, 2)
        for _ in range(3):
            play(event, UserFactory(), choose=favouring(a))
        play(event, UserFactory(), choose=favouring(b))

        standings, games = selectors.leaderboard(event=event)

        assert games == 4
        first, second = standings
        assert first.entry.pk == a.pk
        assert first.rank == 1
        assert (first.entry.wins, first.entry.losses, first.entry.championships) == (3, 1, 3)
        assert (first.win_percent, first.champion_percent) == (75, 75)
        assert (second.entry.wins, second.entry.losses, second.win_percent, second.champion_percent) == (
            1,
            3,
            25,
            25,
        )

    def test_byes_are_no_wins(self, event, member):
        enter_many(event, 3)

        play(event, member)

        rows = list(selectors.entries_with_results(event=event))
        assert sum(row.wins for row in rows) == 2  # one first-round match and the final
        assert sum(row.losses for row in rows) == 2

    def test_champion_ties_go_to_the_better_win_rate_then_the_earlier_entry(self, event):
        a, b, _, _ = enter_many(event, 4)
        play(event, UserFactory(), choose=favouring(a))
        play(event, UserFactory(), choose=favouring(b))
        assert selectors.event_champion(event=event).pk in {a.pk, b.pk}

        rows = {row.pk: row for row in selectors.entries_with_results(event=event)}
        expected = min(
            (a, b), key=lambda e: (-rows[e.pk].championships, -rows[e.pk].win_rate, rows[e.pk].entered_at)
        )
        assert selectors.event_champion(event=event).pk == expected.pk

    def test_equal_records_go_to_the_earliest_entry(self, event):
        a, b = enter_many(event, 2)
        play(event, UserFactory(), choose=favouring(b))
        play(event, UserFactory(), choose=favouring(a))

        assert selectors.event_champion(event=event).pk == a.pk

    def test_an_event_nobody_played_has_no_champion(self, event):
        enter_many(event, 4)

        assert selectors.event_champion(event=event) is None
