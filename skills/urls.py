"""Skills certification's addresses: each area keeps its own list in its views module."""

from .views import accreditation, certificates, registry, training

app_name = "skills"

urlpatterns = [
    *registry.urlpatterns,
    *accreditation.urlpatterns,
    *training.urlpatterns,
    *certificates.urlpatterns,
]
