from django.contrib import admin

from .models import PibkYear, SchoolYear, WindowEvent


@admin.register(PibkYear)
class PibkYearAdmin(admin.ModelAdmin):
    list_display = ["year", "kpi1_target", "kpi2_target", "kpi2_goal", "kpi2_goal_year"]


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["school", "year", "mode", "average", "reaches", "families", "volunteers"]
    list_filter = ["year", "mode", "reaches"]
    search_fields = ["school__code", "school__name"]
    raw_id_fields = ["school", "district", "state"]


@admin.register(WindowEvent)
class WindowEventAdmin(admin.ModelAdmin):
    list_display = ["school_year", "window", "kind", "until", "by", "at"]
    list_filter = ["kind", "window"]
    readonly_fields = [f.name for f in WindowEvent._meta.fields]
