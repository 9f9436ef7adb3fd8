"""The role table (core.people.roles), row by row against domain.md section 0."""

import pytest

from core.people import roles

# "A role is held *in* a unit (school, district, state, nation, skills centre,
# the skills body)": which role in which kind of unit.
HELD_IN = [
    ("head", "school", True),
    ("ict_coordinator", "school", True),
    ("exam_secretary", "school", True),
    ("subject_head", "school", True),
    ("pibk_coordinator", "school", True),
    ("quality_team", "school", True),
    ("teacher", "school", True),
    ("head", "district", False),
    # "officers: district (PPD), state (JPN/BTPN), national (KPM)"
    ("officer", "district", True),
    ("officer", "state", True),
    ("officer", "nation", True),
    ("officer", "school", False),
    # "an assessor works for two skills centres"
    ("assessor", "centre", True),
    ("assessor", "school", False),
    ("centre_admin", "centre", True),
    ("verifier", "skills_body", True),
    ("certification_officer", "skills_body", True),
    ("certification_officer", "district", False),
    ("admin", "nation", True),
    ("admin", "state", False),
    ("no_such_role", "school", False),
]


@pytest.mark.parametrize(("role", "kind", "allowed"), HELD_IN)
def test_a_role_is_held_only_in_its_kind_of_unit(role, kind, allowed):
    assert roles.may_hold(role, kind) is allowed


# (role, unit kind, programmes of the grant, act, allowed)
ALLOWS = [
    # "school coordinator (Guru Penyelaras ICT / Bestari): sees and edits only their school"
    ("ict_coordinator", "school", (), "ssqs.roster.manage", True),
    ("ict_coordinator", "school", (), "ssqs.results.view", True),
    ("ict_coordinator", "school", (), "pibk.enter", False),
    # "a teacher is the ICT coordinator and the PIBK coordinator": each role its own
    ("pibk_coordinator", "school", (), "pibk.enter", True),
    ("pibk_coordinator", "school", (), "ssqs.roster.manage", False),
    # named staff "are created by the school's head or coordinator"
    ("head", "school", (), "staff.manage", True),
    ("ict_coordinator", "school", (), "staff.manage", True),
    ("teacher", "school", (), "staff.manage", False),
    ("exam_secretary", "school", (), "staff.manage", False),
    ("head", "school", (), "pibk.view", True),
    ("head", "school", (), "pibk.enter", False),
    ("exam_secretary", "school", (), "ssqs.results.view", False),
    ("exam_secretary", "school", (), "desktop.view", True),
    # Issue 14 item 3: the school submits its data for the district's review;
    # the coordinator who enters a programme's data submits it, nobody else.
    ("ict_coordinator", "school", (), "ssqs.submit", True),
    ("ict_coordinator", "school", (), "pibk.submit", False),
    ("pibk_coordinator", "school", (), "pibk.submit", True),
    ("pibk_coordinator", "school", (), "ssqs.submit", False),
    ("head", "school", (), "ssqs.submit", False),
    ("head", "school", (), "pibk.submit", False),
    ("respondent_account", "school", (), "ssqs.submit", False),
    ("officer", "district", (), "ssqs.submit", False),
    ("officer", "district", (), "pibk.submit", False),
    ("admin", "nation", (), "pibk.submit", False),
    # "officers ... each sees the schools under their node and nothing else"
    ("officer", "district", (), "monitoring.view", True),
    ("officer", "district", (), "pibk.review", True),
    ("officer", "district", (), "ssqs.roster.manage", False),
    # "an officer follows SSQS for a district and PASR for a state": for the programmes it names
    ("officer", "district", ("pibk",), "pibk.view", True),
    ("officer", "district", ("pibk",), "monitoring.view", False),
    ("officer", "district", ("pibk",), "ssqs.reopen", False),
    ("officer", "district", ("ssqs",), "monitoring.view", True),
    ("officer", "district", ("ssqs",), "pibk.view", False),
    # the shared pages need a role, not a programme
    ("officer", "district", ("pibk",), "schools.list", True),
    # the year's PIBK targets are the nation's
    ("officer", "nation", (), "pibk.targets", True),
    ("officer", "state", (), "pibk.targets", False),
    ("admin", "nation", (), "pibk.targets", True),
    # no figure shown to an officer may reveal one person's answers: the full view is the school's
    ("head", "school", (), "ssqs.results.full", True),
    ("officer", "district", (), "ssqs.results.full", False),
    # "respondent: not a user account": the shared account answers, nothing more
    ("respondent_account", "school", (), "ssqs.answer", True),
    ("respondent_account", "school", (), "ssqs.results.view", False),
    ("admin", "nation", (), "officers.manage", True),
    ("officer", "nation", (), "officers.manage", False),
]


@pytest.mark.parametrize(("role", "kind", "programmes", "act", "allowed"), ALLOWS)
def test_what_each_role_may_do(role, kind, programmes, act, allowed):
    assert roles.allows(role, kind, programmes, act) is allowed


def test_every_act_names_a_known_programme_and_known_roles():
    for act, holders in roles.ACTS.items():
        roles.programme_of(act)  # raises for an act of no known family
        for role, kinds in holders.items():
            assert role in roles.ROLES, (act, role)
            assert kinds is None or set(kinds) <= set(roles.ROLES[role][0]), (act, role)


def test_an_unknown_act_is_an_error_not_a_refusal():
    with pytest.raises(KeyError):
        roles.programme_of("ssqs.nothing")
