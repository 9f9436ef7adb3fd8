"""What the review workflow adds to the shared pages (see ssqs_portal.registry)."""

from . import programmes, selectors


def desktop_notices(request, school):
    """MyDesktop: every programme's data returned to the school, with the comment."""
    notices = []
    for subject in selectors.returned_to_school(school):
        try:
            found = programmes.get(subject.programme)
        except KeyError:  # a programme no longer installed
            continue
        by = subject.decided_by
        notices.append(
            {
                "programme": subject.programme,
                "window": subject.window,
                "label": found.label(subject.year, subject.window),
                "comment": subject.comment,
                "by": (by.get_full_name() or by.username) if by else "-",
                "at": subject.decided_at,
                "url": found.page_url(subject),
            }
        )
    if not notices:
        return []
    return [("review/partials/desktop_notices.html", {"notices": notices})]
