from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.serializers import MemberSummarySerializer

from .models import BracketSize


class EventOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    bracket_size = serializers.ChoiceField(choices=BracketSize.choices)
    entry_opens_at = serializers.DateTimeField()
    entry_closes_at = serializers.DateTimeField()
    voting_opens_at = serializers.DateTimeField()
    voting_closes_at = serializers.DateTimeField()
    entry_open = serializers.SerializerMethodField()
    voting_open = serializers.SerializerMethodField()
    closed_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(serializers.BooleanField())
    def get_entry_open(self, event):
        return event.entry_is_open()

    @extend_schema_field(serializers.BooleanField())
    def get_voting_open(self, event):
        return event.voting_is_open()


class EntryOutputSerializer(serializers.Serializer):
    """An entry as it was when it entered: the pet's name and photo are its own copies."""

    id = serializers.IntegerField()
    pet_name = serializers.CharField()
    member = MemberSummarySerializer(allow_null=True)
    photo_url = serializers.ImageField(source="photo_display", use_url=True)
    thumb_url = serializers.ImageField(source="photo_thumb", use_url=True)
    entered_at = serializers.DateTimeField()
    withdrawn = serializers.BooleanField(source="is_withdrawn")


class EntryCreateInputSerializer(serializers.Serializer):
    pet = serializers.IntegerField(min_value=1, help_text="The id of one of your own pets.")
    photo = serializers.FileField(
        required=False,
        help_text="A new photo for the entry (JPEG, PNG, WebP, GIF or HEIC, up to 10 MB and 25 megapixels); "
        "without it, the pet's profile photo is used.",
    )


class MatchOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField(
        help_text="How many pets the round starts with: 8 is the 8강, 2 the final."
    )
    entry_a = EntryOutputSerializer()
    entry_b = EntryOutputSerializer()


class GameOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.IntegerField(source="event_id")
    size = serializers.IntegerField(help_text="Slots in the first round (empty slots are byes).")
    current_round = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    counted = serializers.BooleanField(help_text="Whether this game counts toward the event's results.")
    champion = EntryOutputSerializer(allow_null=True)
    current_match = serializers.SerializerMethodField(
        help_text="The match to pick in; null once the game is over."
    )

    @extend_schema_field(MatchOutputSerializer(allow_null=True))
    def get_current_match(self, game):
        match = self.context.get("current_match")
        return MatchOutputSerializer(match, context=self.context).data if match else None


class PickInputSerializer(serializers.Serializer):
    match = serializers.IntegerField(min_value=1, help_text="The id of the current match.")
    winner = serializers.IntegerField(min_value=1, help_text="The id of the entry you pick in it.")


class StandingOutputSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    entry = EntryOutputSerializer()
    wins = serializers.IntegerField(source="entry.wins")
    losses = serializers.IntegerField(source="entry.losses")
    win_rate = serializers.FloatField(source="entry.win_rate", help_text="Match wins / matches played (0–1).")
    championships = serializers.IntegerField(source="entry.championships")
    champion_share = serializers.FloatField(help_text="The share of counted games this entry won (0–1).")


class LeaderboardOutputSerializer(serializers.Serializer):
    games = serializers.IntegerField(help_text="Counted games: each member's first completed game.")
    champion = EntryOutputSerializer(allow_null=True)
    standings = StandingOutputSerializer(many=True)
