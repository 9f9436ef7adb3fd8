from django.contrib import admin

from .models import RollUp


@admin.register(RollUp)
class RollUpAdmin(admin.ModelAdmin):
    """Roll-ups are derived data (rebuilt by the workers): shown, never edited."""

    list_display = ["programme", "period", "level", "name", "schools", "computed_at"]
    list_filter = ["programme", "period", "level"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
