"""SPMI's addresses: each area of the app keeps its own list in its views module."""

from .views import examples, files, follow, plan, review, school, standards

app_name = "spmi"

urlpatterns = [
    *school.urlpatterns,
    *plan.urlpatterns,
    *standards.urlpatterns,
    *follow.urlpatterns,
    *examples.urlpatterns,
    *review.urlpatterns,
    *files.urlpatterns,
]
