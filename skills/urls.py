"""Skills certification's addresses: each area keeps its own list in its views module."""

from .views import (
    accounts,
    accreditation,
    certificates,
    facilities,
    home,
    ppt,
    rating,
    registry,
    training,
)
from .views import complaints as complaint_views
from .views import executive as executive_views
from .views import personnel as personnel_views

app_name = "skills"

urlpatterns = [
    *home.urlpatterns,
    *registry.urlpatterns,
    *accreditation.urlpatterns,
    *training.urlpatterns,
    *certificates.urlpatterns,
    *accounts.urlpatterns,
    *complaint_views.urlpatterns,
    *rating.urlpatterns,
    *personnel_views.urlpatterns,
    *executive_views.urlpatterns,
    *ppt.urlpatterns,
    *facilities.urlpatterns,
]
