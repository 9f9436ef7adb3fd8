from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "role", "level", "school", "district", "state", "is_active")
    list_filter = ("role", "level", "is_active", "must_change_password")
    search_fields = ("username", "first_name", "last_name", "email", "school__name")
    raw_id_fields = ("school",)
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            _("Portal role and scope"),
            {"fields": ("role", "school", "level", "state", "district", "must_change_password")},
        ),
    )
