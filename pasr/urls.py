"""PASR's addresses: each area of the app keeps its own list in its views module."""

from .views import board, registration, reports, results, school

app_name = "pasr"

urlpatterns = [
    *school.urlpatterns,
    *registration.urlpatterns,
    *board.urlpatterns,
    *results.urlpatterns,
    *reports.urlpatterns,
]
