"""The World Cup pages: browsing, entering, playing through forms, results, and the admin."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.tests.factories import UserFactory
from accounts.tests.second_factor import admin_login
from core import korean_text
from core import services as core_services
from core.models import UPLOAD_LIFETIME, TemporaryUpload
from pets.tests.factories import PetFactory
from worldcup import selectors, services
from worldcup.models import Entry, Game, Match, PetOfTheMonth
from worldcup.tests.factories import enter, enter_many, favouring, index_page, make_event, play, small_photo


@pytest.mark.django_db
class TestBrowsing:
    def test_the_index_shows_the_current_event_and_the_hall_of_fame(self, client, event):
        entries = enter_many(event, 2)
        play(event, UserFactory(), choose=favouring(entries[1]))
        PetOfTheMonth.objects.create(month=event.month, event=event, entry=entries[1])

        html = client.get(index_page().url).content.decode()

        assert event.title in html
        assert "멍멍1" in html
        assert 'data-role="hall-of-fame"' in html

    def test_visitors_see_the_entries_and_the_leaderboard(self, client, event):
        enter(event, name="<b>두부</b>")

        event_html = client.get(event.url).content.decode()
        board = client.get(event.route_url("leaderboard"))

        assert "&lt;b&gt;두부&lt;/b&gt;" in event_html
        assert "<b>두부</b>" not in event_html
        assert "Log in to play" in event_html or "로그인" in event_html
        assert board.status_code == 200

    def test_visitors_must_log_in_to_play_or_enter(self, client, event):
        for url in (event.route_url("play"), event.route_url("enter")):
            response = client.get(url)
            assert response.status_code == 302
            assert "/accounts/login/" in response["Location"]
        assert client.post(event.route_url("play")).status_code == 302
        assert not Game.objects.exists()

    def test_the_home_page_shows_the_pet_of_the_month(self, client, event):
        entry = enter(event, name="초코")
        PetOfTheMonth.objects.create(month=event.month, event=event, entry=entry)

        html = client.get("/").content.decode()

        assert 'data-role="pet-of-the-month"' in html
        assert "초코" in html

    def test_in_a_new_month_the_home_page_calls_last_months_winner_last_months(self, client):
        today = timezone.localdate()
        last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        event = make_event(title="지난달 강아지 월드컵", month=last_month)
        PetOfTheMonth.objects.create(month=last_month, event=event, entry=enter(event, name="초코"))

        html = client.get("/").content.decode()

        assert "지난달의 인기 반려동물" in html
        assert "이달의 인기 반려동물" not in html

    def test_event_dates_say_they_are_korean_time(self, client, event):
        html = client.get(event.url).content.decode()

        assert "한국 시간" in html
        with translation.override("ko"):
            assert korean_text.day_clock(event.entry_opens_at) in html

    def test_the_home_page_shows_a_new_pet_of_the_month_at_once_though_it_is_cached(self, client, event):
        assert 'data-role="pet-of-the-month"' not in client.get("/").content.decode()
        entry = enter(event, name="보리")
        PetOfTheMonth.objects.create(month=event.month, event=event, entry=entry)

        assert "보리" in client.get("/").content.decode()
        Entry.objects.filter(pk=entry.pk).update(pet_name="보리차")
        entry.refresh_from_db()
        entry.save()
        assert "보리차" in client.get("/").content.decode()
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        assert not any("worldcup_petofthemonth" in query["sql"] for query in queries.captured_queries)

    def test_the_header_links_to_the_world_cup(self, client):
        assert 'href="/worldcup/"' in client.get("/").content.decode()


@pytest.mark.django_db
class TestEntering:
    def test_a_member_enters_a_pet_with_a_new_photo(self, client, event, member):
        pet = PetFactory(owner=member, name="두부")
        client.force_login(member)

        response = client.post(event.route_url("enter"), {"pet": pet.pk, "photo": small_photo()})

        assert response.status_code == 302
        entry = Entry.objects.get()
        assert (entry.member, entry.pet, entry.pet_name) == (member, pet, "두부")

    def test_someone_elses_pet_is_refused(self, client, event, member, other_member):
        pet = PetFactory(owner=other_member, photo=small_photo())
        PetFactory(owner=member)
        client.force_login(member)

        response = client.post(event.route_url("enter"), {"pet": pet.pk})

        assert response.status_code == 400
        assert not Entry.objects.exists()

    def test_a_member_without_pets_is_invited_to_add_one(self, client, event, member):
        client.force_login(member)

        response = client.get(event.route_url("enter"))

        assert response.status_code == 200
        assert 'href="/pets/new/"' in response.content.decode()

    def test_a_pet_without_photo_and_no_upload_gets_a_clear_message(self, client, event, member):
        pet = PetFactory(owner=member)
        client.force_login(member)

        response = client.post(event.route_url("enter"), {"pet": pet.pk})

        assert response.status_code == 400
        assert "upload one" in response.content.decode() or "사진" in response.content.decode()
        assert not Entry.objects.exists()


@pytest.mark.django_db
class TestPlaying:
    @pytest.mark.smoke
    def test_a_member_plays_to_the_end_through_the_pages(self, client, event, member):
        enter_many(event, 5)
        client.force_login(member)

        response = client.post(event.route_url("play"))
        assert response.status_code == 302
        for _ in range(10):
            page = client.get(event.route_url("play"))
            game = selectors.game_in_play(event=event, player=member)
            if game is None:
                break
            match = selectors.current_match(game=game)
            assert f'data-match="{match.pk}"' in page.content.decode()
            response = client.post(event.route_url("pick"), {"match": match.pk, "winner": match.entry_b_id})
        game = Game.objects.get(player=member)
        assert game.is_complete
        assert game.counted
        assert response["Location"] == event.route_url("game_result", game.pk)
        result = client.get(response["Location"]).content.decode()
        assert game.champion.pet_name in result

    def test_the_match_says_where_it_is_in_the_round_and_whose_pets_they_are(self, client, event, member):
        for owner in ("보리엄마", "보리아빠", "콩이네", "두부맘", "호두네", "초코네", "달이네", "별이네"):
            enter(
                event,
                name="보리" if owner.startswith("보리") else f"{owner[:2]}이",
                member=UserFactory(nickname=owner),
            )
        client.force_login(member)
        client.post(event.route_url("play"))
        game = selectors.game_in_play(event=event, player=member)

        seen = []
        for _ in range(4):
            html = client.get(event.route_url("play")).content.decode()
            seen.append(html.split('data-role="round-progress"')[1].split("</span>")[0].split(">")[-1])
            match = selectors.current_match(game=game)
            assert f"보호자 {match.entry_a.member.display_name}" in html
            assert f"보호자 {match.entry_b.member.display_name}" in html
            client.post(event.route_url("pick"), {"match": match.pk, "winner": match.entry_a_id})

        assert seen == ["1/4", "2/4", "3/4", "4/4"]
        html = client.get(event.route_url("play")).content.decode()
        assert "4강" in html
        assert "2경기 중 1번째 경기" in html

    def test_a_forged_pick_changes_nothing(self, client, event, member, other_member):
        enter_many(event, 4)
        mine = services.game_start(event_id=event.pk, player=member)
        theirs = services.game_start(event_id=event.pk, player=other_member)
        their_match = selectors.current_match(game=theirs)
        client.force_login(member)

        client.post(event.route_url("pick"), {"match": their_match.pk, "winner": their_match.entry_a_id})
        client.post(event.route_url("pick"), {"match": "x", "winner": "y"})

        assert not Match.objects.filter(game__in=[mine, theirs], winner__isnull=False).exists()

    def test_an_unfinished_game_is_only_for_its_player(self, client, event, member, other_member):
        enter_many(event, 2)
        game = services.game_start(event_id=event.pk, player=member)
        client.force_login(other_member)

        assert client.get(event.route_url("game_result", game.pk)).status_code == 404

    def test_a_shared_finished_game_shows_its_champion_but_not_the_player_or_their_picks(
        self, client, event, member
    ):
        enter_many(event, 2, prefix="보리")
        game = play(event, member)

        html = client.get(event.route_url("game_result", game.pk)).content.decode()

        assert 'data-role="champion"' in html
        assert "보리0" in html
        assert 'id="bracket-heading"' not in html
        assert member.display_name not in html
        assert 'property="og:title"' in html
        assert "data-share" in html


@pytest.mark.django_db
class TestAdminWithdraw:
    def test_a_moderator_withdraws_an_entry_in_the_admin(self, client, event, moderator):
        entry = enter(event, name="두부")
        admin_login(client, moderator)

        assert client.get("/admin/worldcup/entries/").status_code == 200
        response = client.post(
            f"/admin/worldcup/entries/edit/{entry.pk}/", {"reason": "반려동물 사진이 아니에요"}
        )

        assert response.status_code == 302
        entry.refresh_from_db()
        assert entry.is_withdrawn
        assert entry.withdrawn_by == moderator

    def test_a_superuser_opens_the_entries_which_offer_no_add_button(self, client, event):
        entry = enter(event, name="두부")
        admin_login(client, UserFactory(is_staff=True, is_superuser=True))

        listing = client.get("/admin/worldcup/entries/")

        assert listing.status_code == 200
        assert f"/admin/worldcup/entries/edit/{entry.pk}/" in listing.content.decode()
        assert "/admin/worldcup/entries/add/" not in listing.content.decode()

    def test_a_member_cannot_withdraw(self, client, event, member):
        entry = enter(event)
        admin_login(client, member)

        response = client.post(f"/admin/worldcup/entries/edit/{entry.pk}/", {"reason": "그냥"})

        assert response.status_code in (302, 403)
        entry.refresh_from_db()
        assert not entry.is_withdrawn


@pytest.mark.django_db
class TestEnteringWithAPhotoChosenEarlier:
    def test_the_entry_takes_over_the_kept_photo_and_its_full_size_goes(
        self, client, event, member, django_capture_on_commit_callbacks
    ):
        pet = PetFactory(owner=member, name="두부")
        upload = core_services.temporary_upload_create(owner=member, file=small_photo())
        full = upload.full.name
        client.force_login(member)

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(event.route_url("enter"), {"pet": pet.pk, "upload": upload.key})

        assert response.status_code == 302
        entry = Entry.objects.get()
        assert (entry.photo_display.name, entry.photo_thumb.name) == (upload.display.name, upload.thumb.name)
        assert entry.photo_thumb.storage.exists(entry.photo_thumb.name)
        assert not entry.photo_thumb.storage.exists(full)
        assert not TemporaryUpload.objects.exists()

    def test_an_expired_kept_photo_is_refused_clearly(self, client, event, member):
        pet = PetFactory(owner=member, photo=small_photo())
        upload = core_services.temporary_upload_create(owner=member, file=small_photo())
        TemporaryUpload.objects.update(created_at=timezone.now() - UPLOAD_LIFETIME)
        client.force_login(member)

        response = client.post(event.route_url("enter"), {"pet": pet.pk, "upload": upload.key})

        assert response.status_code == 400
        assert "24시간" in response.content.decode()
        assert not Entry.objects.exists()
