from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from core.people.access import can
from core.people.models import RoleGrant

from .models import User


class AdminsOnly:
    """Edits in the admin site are for the portal's administrators only (not any staff flag)."""

    def has_module_permission(self, request):
        return can(request.user, "officers.manage") and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return can(request.user, "officers.manage") and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return can(request.user, "officers.manage") and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return can(request.user, "officers.manage") and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return can(request.user, "officers.manage") and super().has_delete_permission(request, obj)


class RoleGrantInline(AdminsOnly, admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = ("role", "unit_kind", "unit_code", "programmes", "granted_by", "granted_at")
    readonly_fields = ("granted_by", "granted_at")


@admin.register(User)
class UserAdmin(AdminsOnly, BaseUserAdmin):
    list_display = ("username", "role", "school", "is_active", "must_change_password")
    list_filter = ("role", "is_active", "must_change_password")
    search_fields = ("username", "first_name", "last_name", "email", "school__name")
    raw_id_fields = ("school",)
    inlines = [RoleGrantInline]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Portal account"), {"fields": ("role", "school", "must_change_password")}),
    )

    def save_formset(self, request, form, formset, change):
        """Record who gave each role added here."""
        for grant in formset.save(commit=False):
            if grant.pk is None and isinstance(grant, RoleGrant):
                grant.granted_by = request.user
            grant.save()
        for gone in formset.deleted_objects:
            gone.delete()
        formset.save_m2m()
