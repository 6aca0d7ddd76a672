from django.contrib import admin

from .models import Walk, WalkParticipant


class WalkParticipantInline(admin.TabularInline):
    model = WalkParticipant
    extra = 0
    raw_id_fields = ["member"]
    readonly_fields = ["joined_at", "removed_at"]


@admin.register(Walk)
class WalkAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "board",
        "host",
        "start_at",
        "status",
        "participant_count",
        "capacity",
        "deleted_at",
    ]
    list_filter = ["status", "board"]
    search_fields = ["title", "area", "host__username"]
    raw_id_fields = ["host", "pets"]
    readonly_fields = ["participant_count", "created_at", "edited_at"]
    inlines = [WalkParticipantInline]
