"""django-q2 tasks of the World Cup."""

from . import services


def monthly_reset() -> str:
    """Run by the monthly schedule (worldcup/schedule.py) and by ``manage.py worldcup_monthly_reset``."""
    outcome = services.monthly_reset()
    created = outcome.created.title if outcome.created else "-"
    champions = ", ".join(pet.entry.pet_name for pet in outcome.pets_of_the_month) or "-"
    return f"closed {len(outcome.closed)} event(s); pets of the month: {champions}; created: {created}"


def make_result_card(game_id: int) -> str:
    """Queued when a game finishes (services._complete)."""
    game = services.game_result_card_make(game_id=game_id)
    return game.result_card.name or "-"
