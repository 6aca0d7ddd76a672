from django.contrib import admin

from .models import ChatPreference, Room, RoomMember

# Messages are not in the admin: direct messages are private. Moderation will decide what
# staff may see (reported messages), in its own issue.


class RoomMemberInline(admin.TabularInline):
    model = RoomMember
    extra = 0
    raw_id_fields = ["member"]
    readonly_fields = ["last_read_id", "joined_at"]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "walk_id", "direct_key", "closed_at", "created_at"]
    list_filter = ["kind"]
    search_fields = ["=walk_id", "=direct_key"]
    inlines = [RoomMemberInline]


@admin.register(ChatPreference)
class ChatPreferenceAdmin(admin.ModelAdmin):
    list_display = ["member", "direct_messages", "updated_at"]
    raw_id_fields = ["member"]
