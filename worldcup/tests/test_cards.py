"""The finished game's link preview card (worldcup/cards.py): drawn once, used as og:image."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django_q.models import OrmQ
from PIL import Image

from worldcup import cards, services, tasks
from worldcup.tests.factories import enter_many, play


@pytest.mark.django_db
class TestResultCard:
    def test_a_finished_game_queues_its_card_once_committed(
        self, event, member, django_capture_on_commit_callbacks
    ):
        enter_many(event, 2)
        with django_capture_on_commit_callbacks(execute=True):
            game = play(event, member)

        assert any(f"world cup card {game.pk}" in task.task["name"] for task in OrmQ.objects.all())

    def test_the_card_is_a_1200_by_630_png_drawn_once(self, event, member):
        enter_many(event, 2, prefix="콩이")
        game = play(event, member)

        drawn = tasks.make_result_card(game.pk)
        again = services.game_result_card_make(game_id=game.pk)

        assert again.result_card.name == drawn
        with again.result_card.open("rb") as file, Image.open(file) as image:
            assert image.format == "PNG"
            assert image.size == (1200, 630)

    def test_the_result_page_shares_the_card_as_an_absolute_og_image(self, client, event, member):
        enter_many(event, 2)
        game = play(event, member)
        game = services.game_result_card_make(game_id=game.pk)

        html = client.get(event.route_url("game_result", game.pk)).content.decode()

        assert f'<meta property="og:image" content="http://testserver{game.result_card.url}">' in html
        assert '<meta name="twitter:card" content="summary_large_image">' in html
        assert (
            f'<meta property="og:url" content="http://testserver{event.route_url("game_result", game.pk)}'
            in html
        )

    def test_a_withdrawn_champion_gets_no_card_and_no_preview(self, client, event, member, moderator):
        enter_many(event, 2)
        game = play(event, member)
        services.entry_withdraw(entry_id=game.champion_id, moderator=moderator, reason="사진이 부적절해요")

        game = services.game_result_card_make(game_id=game.pk)
        html = client.get(event.route_url("game_result", game.pk)).content.decode()

        assert not game.result_card
        assert "og:" not in html
        assert 'data-role="champion"' not in html

    def test_check_deploy_fails_clearly_without_the_korean_font(self, monkeypatch, tmp_path):
        monkeypatch.setattr(cards, "REGULAR_FONT", tmp_path / "NanumGothic.ttf")

        call_command("check")  # make run works on a machine without the font
        with pytest.raises(SystemCheckError, match="fonts-nanum"):
            call_command("check", "--deploy", "--tag", "compatibility")

    def test_without_the_font_a_finished_game_previews_its_champions_photo(
        self, monkeypatch, tmp_path, client, event, member
    ):
        monkeypatch.setattr(cards, "REGULAR_FONT", tmp_path / "NanumGothic.ttf")
        enter_many(event, 2)
        game = play(event, member)

        game = services.game_result_card_make(game_id=game.pk)
        html = client.get(event.route_url("game_result", game.pk)).content.decode()

        assert not game.result_card
        assert game.champion.photo_display.url in html.split('property="og:image"')[1].split(">")[0]
