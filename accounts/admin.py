from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class MemberAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Profile"), {"fields": ("nickname", "avatar", "bio")}),
    )
    list_display = ("username", "nickname", "email", "is_staff", "date_joined")
    search_fields = ("username", "nickname", "email")
