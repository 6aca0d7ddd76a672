"""The World Cup API: public reads, members' entries and games, and forged requests refused."""

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from pets.tests.factories import PetFactory
from worldcup import selectors, services
from worldcup.models import Entry, Game, Match
from worldcup.tests.factories import enter, enter_many, favouring, play, small_photo


def entries_url(event) -> str:
    return f"/api/worldcup/events/{event.pk}/entries/"


@pytest.mark.django_db
class TestReads:
    def test_events_entries_and_leaderboard_are_public(self, api_client, event):
        entries = enter_many(event, 2)
        play(event, UserFactory(), choose=favouring(entries[1]))

        events = api_client.get("/api/worldcup/events/").json()
        listed = api_client.get(entries_url(event)).json()
        board = api_client.get(f"/api/worldcup/events/{event.pk}/leaderboard/").json()

        assert events[0]["id"] == event.pk
        assert events[0]["voting_open"] is True
        assert [row["pet_name"] for row in listed["results"]] == ["멍멍0", "멍멍1"]
        assert board["games"] == 1
        assert board["champion"]["id"] == entries[1].pk
        first = board["standings"][0]
        assert (first["wins"], first["losses"], first["championships"], first["champion_share"]) == (
            1,
            0,
            1,
            1.0,
        )

    def test_the_schema_documents_the_endpoints(self, api_client):
        schema = api_client.get("/api/schema/", {"format": "json"}).json()

        for path in (
            "/api/worldcup/events/{id}/entries/",
            "/api/worldcup/events/{id}/games/",
            "/api/worldcup/games/{id}/picks/",
            "/api/worldcup/events/{id}/leaderboard/",
        ):
            assert path in schema["paths"], path


@pytest.mark.django_db
class TestWrites:
    def test_a_member_enters_over_the_api(self, member_api_client, event, member):
        pet = PetFactory(owner=member, name="두부")

        response = member_api_client.post(
            entries_url(event), {"pet": pet.pk, "photo": small_photo()}, format="multipart"
        )

        assert response.status_code == 201, response.json()
        assert response.json()["pet_name"] == "두부"
        assert Entry.objects.get().member == member

    def test_visitors_cannot_enter_or_play(self, api_client, event):
        enter_many(event, 2)

        assert api_client.post(entries_url(event), {"pet": 1}).status_code in (401, 403)
        assert api_client.post(f"/api/worldcup/events/{event.pk}/games/").status_code in (401, 403)
        assert not Game.objects.exists()

    def test_another_members_pet_is_refused(self, member_api_client, event, other_member):
        pet = PetFactory(owner=other_member, photo=small_photo())

        response = member_api_client.post(entries_url(event), {"pet": pet.pk})

        assert response.status_code == 400
        assert not Entry.objects.exists()

    def test_a_member_plays_a_game_over_the_api(self, member_api_client, event, member):
        enter_many(event, 3)

        state = member_api_client.post(f"/api/worldcup/events/{event.pk}/games/").json()
        resumed = member_api_client.post(f"/api/worldcup/events/{event.pk}/games/").json()
        assert resumed["id"] == state["id"]
        while state["current_match"]:
            match = state["current_match"]
            response = member_api_client.post(
                f"/api/worldcup/games/{state['id']}/picks/",
                {"match": match["id"], "winner": match["entry_a"]["id"]},
            )
            assert response.status_code == 200
            state = response.json()

        assert state["completed_at"]
        assert state["counted"]
        assert state["champion"]
        assert Game.objects.get().champion_id == state["champion"]["id"]

    def test_a_repeated_pick_is_refused(self, member_api_client, event, member):
        enter_many(event, 4)
        state = member_api_client.post(f"/api/worldcup/events/{event.pk}/games/").json()
        match = state["current_match"]
        url = f"/api/worldcup/games/{state['id']}/picks/"
        member_api_client.post(url, {"match": match["id"], "winner": match["entry_a"]["id"]})

        response = member_api_client.post(url, {"match": match["id"], "winner": match["entry_b"]["id"]})

        assert response.status_code == 400
        assert Match.objects.get(pk=match["id"]).winner_id == match["entry_a"]["id"]

    def test_another_members_game_is_not_found_and_unchanged(self, event, member, other_member):
        enter_many(event, 4)
        game = services.game_start(event_id=event.pk, player=member)
        match = selectors.current_match(game=game)
        intruder = APIClient()
        intruder.force_authenticate(other_member)

        seen = intruder.get(f"/api/worldcup/games/{game.pk}/")
        picked = intruder.post(
            f"/api/worldcup/games/{game.pk}/picks/", {"match": match.pk, "winner": match.entry_a_id}
        )

        assert (seen.status_code, picked.status_code) == (404, 404)
        assert not Match.objects.filter(game=game, winner__isnull=False).exists()

    def test_entering_twice_is_refused(self, member_api_client, event, member):
        enter(event, member=member)
        pet = PetFactory(owner=member, photo=small_photo())

        response = member_api_client.post(entries_url(event), {"pet": pet.pk})

        assert response.status_code == 400
        assert Entry.objects.count() == 1
