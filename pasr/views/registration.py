"""PASR registration: views (see pasr/urls.py)."""

urlpatterns = []


def school_panel(request, school, year):
    return None
