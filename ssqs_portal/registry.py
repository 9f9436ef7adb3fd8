"""Where each programme plugs its links into the shared pages.

The foundation (schools, accounts) must not import the programmes built on
it, so each programme's AppConfig.ready() registers here what it adds to the
navigation, to a school's MyDesktop and to the officer's school page.
"""

# (act, place, label, url name): a menu link shown to whoever may do the act
# in a school ("school": the school's own staff and accounts), above schools
# ("node": officers and administrators) or anywhere ("anywhere": the skills
# body's and centres' people), in registration order.
NAV = []
# callables (user) -> (url name, args) or None: where a person with no school or
# node page lands after logging in (e.g. a skills trainee's own page).
LANDINGS = []
# callables (request, school) -> list of {"key", "act", "title", "text", "icon", "url"};
# MyDesktop shows the cards whose act the user may do in the school.
DESKTOP_CARDS = []
# callables (request, school) -> list of (template name, context dict)
SCHOOL_PANELS = []
# callables (request, school) -> list of (template name, context dict) shown at the
# top of MyDesktop (e.g. data an officer returned to the school, with the comment).
DESKTOP_NOTICES = []
# callables (stdout) -> list of (role, username, password, note); run by seed_demo
# after the schools' own demo, in INSTALLED_APPS order.
DEMO_SEEDERS = []
# callables () -> None, run inside the import's transaction after schools are
# created or updated (e.g. SSQS gives new schools the open cycle's roster).
SCHOOLS_IMPORTED = []
# callables (cycle_id, school_id) -> None, run after a school's SSQS rating is
# recomputed (monitoring refreshes the school's progress and the roll-ups).
RATING_CHANGED = []
# callables (cycle_id) -> None, run after a whole cycle is recomputed.
CYCLE_RECOMPUTED = []
# callables (cycle_id, school_ids) -> None, run inside the recompute's transaction
# after some schools' ratings were recomputed together (monitoring refreshes
# their progress rows and rebuilds the roll-ups, committed with the ratings).
SCHOOLS_RECOMPUTED = []
