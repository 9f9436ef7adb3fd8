"""The shared core every programme plugs into.

Each part is a small Django app of its own (own models and migrations), so a
programme depends on the parts it uses and nothing else:

- ``core.people``: units (nation, states, districts, schools, the skills body
  and its centres), roles held in a unit for named programmes, and the one
  access rule (``core.people.access``);
- ``core.review``: one review workflow (window, submitted / verified /
  returned / reopened, every act recorded) for any school's data of any
  programme and period;
- ``core.rollups``: one roll-up and dashboard kit keyed by programme, period
  and unit;
- ``core.audit``: the audit trail (who changed what, before and after).

``docs/architecture.md`` says how a new programme plugs into them.
"""
