from django.contrib import admin

from .models import ReviewEvent, ReviewSubject


class ReviewEventInline(admin.TabularInline):
    model = ReviewEvent
    extra = 0
    can_delete = False
    readonly_fields = ["act", "comment", "until", "missing", "by", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReviewSubject)
class ReviewSubjectAdmin(admin.ModelAdmin):
    """Read-only: acts go through the workflow's services, so each one is recorded."""

    list_display = ["programme", "year", "window", "school", "state", "reopened_until"]
    list_filter = ["programme", "year", "state"]
    search_fields = ["school__code"]
    list_select_related = ["school"]
    readonly_fields = [f.name for f in ReviewSubject._meta.fields]
    inlines = [ReviewEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
