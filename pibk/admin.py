from django.contrib import admin

from .models import PibkYear, SchoolYear


@admin.register(PibkYear)
class PibkYearAdmin(admin.ModelAdmin):
    list_display = ["year", "kpi1_target", "kpi2_target", "kpi2_goal", "kpi2_goal_year"]


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["school", "year", "mode", "average", "reaches", "families", "volunteers"]
    list_filter = ["year", "mode", "reaches"]
    search_fields = ["school__code", "school__name"]
    raw_id_fields = ["school", "district", "state"]
