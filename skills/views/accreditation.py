"""Skills certification: accreditation views (see skills/urls.py)."""

urlpatterns = []
