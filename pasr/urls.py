"""PASR's addresses: each area of the app keeps its own list in its views module."""

from .views import registration, reports, results, school

app_name = "pasr"

urlpatterns = [
    *school.urlpatterns,
    *registration.urlpatterns,
    *results.urlpatterns,
    *reports.urlpatterns,
]
