from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.serializers import MemberSummarySerializer
from community.serializers import TaggedPetSerializer

from . import chat_bridge, selectors
from .models import (
    AREA_MAX_LENGTH,
    DESCRIPTION_HTML_MAX_LENGTH,
    MAX_CAPACITY,
    MIN_CAPACITY,
    PLACE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    ClosedReason,
    DogSize,
    HostGender,
    PreferredGender,
    WalkStatus,
)
from .services import MAX_PETS_PER_WALK


class WalkBoardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    region = serializers.CharField()
    is_open = serializers.BooleanField(help_text="Whether members may post new walks on this board.")
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_url(self, board):
        return board.url


class WalkParticipantSerializer(serializers.Serializer):
    member = MemberSummarySerializer()
    member_id = serializers.IntegerField()
    joined_at = serializers.DateTimeField()


class WalkOutputSerializer(serializers.Serializer):
    """A walk as anyone may see it; the exact meeting place and the member list only for the
    host and the members who joined (null for everyone else)."""

    id = serializers.IntegerField()
    url = serializers.CharField(source="get_absolute_url")
    board = WalkBoardSerializer()
    host = MemberSummarySerializer()
    title = serializers.CharField()
    description_html = serializers.CharField(help_text="Cleaned HTML (allow-listed tags only).")
    start_at = serializers.DateTimeField()
    end_at = serializers.DateTimeField()
    area = serializers.CharField(help_text="The neighbourhood; public.")
    meeting_place = serializers.SerializerMethodField(
        help_text="The exact place: for the host and members who joined only, null otherwise."
    )
    latitude = serializers.SerializerMethodField(
        help_text="The meeting point's latitude: exact for the host and members who joined, snapped "
        "to a 0.005° grid (about 500 m) for everyone else; null when the host picked no point."
    )
    longitude = serializers.SerializerMethodField(help_text="As latitude.")
    point_is_exact = serializers.SerializerMethodField(
        help_text="Whether latitude/longitude are the exact point (false: snapped, or no point)."
    )
    dog_sizes = serializers.ListField(child=serializers.ChoiceField(choices=DogSize.choices))
    host_gender = serializers.ChoiceField(choices=HostGender.choices)
    preferred_gender = serializers.ChoiceField(choices=PreferredGender.choices)
    capacity = serializers.IntegerField(help_text="People, the host included.")
    headcount = serializers.IntegerField(help_text="The host plus the members who joined.")
    spots_left = serializers.IntegerField()
    status = serializers.ChoiceField(choices=WalkStatus.choices, help_text="What the host decided.")
    is_open = serializers.BooleanField(help_text="Whether members can join now.")
    closed_reason = serializers.SerializerMethodField()
    pets = TaggedPetSerializer(many=True, source="pets.all", help_text="The host's pets coming along.")
    is_host = serializers.SerializerMethodField()
    joined = serializers.BooleanField(source="viewer_is_participant", help_text="Whether you joined.")
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)

    def _viewer(self):
        return self.context["request"].user

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_meeting_place(self, walk):
        if selectors.can_see_meeting_place(viewer=self._viewer(), walk=walk):
            return walk.meeting_place
        return None

    def _point(self, walk) -> tuple[float, float] | None:
        if not walk.has_point:
            return None
        if selectors.can_see_meeting_place(viewer=self._viewer(), walk=walk):
            return walk.latitude, walk.longitude
        return walk.public_point

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_latitude(self, walk):
        point = self._point(walk)
        return point and point[0]

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_longitude(self, walk):
        point = self._point(walk)
        return point and point[1]

    @extend_schema_field(serializers.BooleanField())
    def get_point_is_exact(self, walk):
        return walk.has_point and selectors.can_see_meeting_place(viewer=self._viewer(), walk=walk)

    @extend_schema_field(serializers.ChoiceField(choices=ClosedReason.choices, allow_null=True))
    def get_closed_reason(self, walk):
        return walk.closed_reason()

    @extend_schema_field(serializers.BooleanField())
    def get_is_host(self, walk):
        viewer = self._viewer()
        return viewer.is_authenticated and walk.host_id == viewer.pk


class WalkDetailOutputSerializer(WalkOutputSerializer):
    participants = serializers.SerializerMethodField(
        help_text="Members who joined: for the host and members only, null otherwise."
    )
    chat_url = serializers.SerializerMethodField(
        help_text="The walk's chat room, for the host and members when chat is available."
    )

    @extend_schema_field(WalkParticipantSerializer(many=True, allow_null=True))
    def get_participants(self, walk):
        if not selectors.is_member(viewer=self._viewer(), walk=walk):
            return None
        return WalkParticipantSerializer(walk.active_participations, many=True).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_chat_url(self, walk):
        if selectors.is_member(viewer=self._viewer(), walk=walk):
            return chat_bridge.room_url(walk.pk)
        return None


class WalkWriteFieldsSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
    description_html = serializers.CharField(
        max_length=DESCRIPTION_HTML_MAX_LENGTH,
        help_text="HTML; cleaned to bold, italics, underline, strike, lists, quotes, line breaks and "
        "http(s)/mailto links.",
    )
    start_at = serializers.DateTimeField(help_text="Without an offset, Seoul time.")
    end_at = serializers.DateTimeField(
        help_text="Without an offset, Seoul time. At most 8 hours after the start."
    )
    area = serializers.CharField(max_length=AREA_MAX_LENGTH, help_text="Public neighbourhood, e.g. 역삼동.")
    meeting_place = serializers.CharField(
        max_length=PLACE_MAX_LENGTH, help_text="Exact place, shown to the host and members only."
    )
    latitude = serializers.FloatField(
        min_value=-90,
        max_value=90,
        required=False,
        allow_null=True,
        default=None,
        help_text="The meeting point (WGS84), with longitude; shown exactly to members only.",
    )
    longitude = serializers.FloatField(
        min_value=-180, max_value=180, required=False, allow_null=True, default=None, help_text="As latitude."
    )
    dog_sizes = serializers.MultipleChoiceField(choices=DogSize.choices, allow_empty=False)
    host_gender = serializers.ChoiceField(choices=HostGender.choices)
    preferred_gender = serializers.ChoiceField(choices=PreferredGender.choices)
    capacity = serializers.IntegerField(min_value=MIN_CAPACITY, max_value=MAX_CAPACITY)
    pets = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        max_length=MAX_PETS_PER_WALK,
        help_text="Ids of your own pets coming along.",
    )


class WalkCreateInputSerializer(WalkWriteFieldsSerializer):
    board = serializers.IntegerField(min_value=1, help_text="The board's id (GET /api/walk-boards/).")


class WalkUpdateInputSerializer(WalkWriteFieldsSerializer):
    """Any subset of the fields; the rest keep their values."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)
