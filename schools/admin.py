from django.contrib import admin

from .models import District, School, State


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "iso")
    search_fields = ("code", "name")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "state")
    list_filter = ("state",)
    search_fields = ("code", "name")


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "district", "level", "type", "enrolment", "is_skm", "is_kpm")
    list_filter = ("level", "is_skm", "is_kpm", "has_ppki", "district__state")
    search_fields = ("code", "name")
    list_select_related = ("district",)
    raw_id_fields = ("district",)
