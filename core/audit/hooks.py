from .access import may_see_history


def school_panels(request, school):
    """The history link on the school's page, for those who may read it."""
    if not may_see_history(request.user, school):
        return []
    return [("audit/partials/school_panel.html", {"school": school})]
