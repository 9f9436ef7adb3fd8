"""The roll-up and dashboard kit every programme builds its officers' pages on.

- ``models.RollUp``: one table of roll-ups keyed by programme, period and unit
  (the nation, a state, a district); a programme's figures live in its JSON
  column, read through a proxy model that names them (``Figure``), so a new
  programme adds no table;
- ``store``: ``group_by_node`` (per-school rows to every district, state and
  the nation in three GROUP BYs) and ``rollups_store`` (the upsert);
- ``selectors``: ``rollup_for``, ``child_rollups``, ``rollup_trend``;
- ``tables.SchoolTable``: a node's school table (search, filters, sorting,
  paging, CSV/XLSX through ``ssqs_portal.exports``);
- ``debounce.Debounce``: "recompute soon", announced by the service that
  changed the data, its key cleared by the task when it runs;
- ``templates/rollups/node.html``: the node partials (breadcrumb, heading,
  "not computed yet", exports, pager) of every programme's dashboards.

A new programme plugs in with no table, store or selector of its own:

1. a per-school row with ``school``, ``district`` and ``state`` foreign keys
   (its summary of a school for a period), kept by its services;
2. a proxy ``class XRollUp(RollUp)`` with ``PROGRAMME = "x"``, its figures as
   ``Figure(...)`` attributes and ``Meta.proxy = True``;
3. ``x/rollups.py``: aggregates over the per-school rows (counting
   ``schools``), ``node_rows(XRollUp, rows, aggregates, figures)`` and
   ``rollups_store(XRollUp, rows, period=...)``; a ``Debounce`` its services
   announce after they change a school's row, and a task that clears it and
   rebuilds;
4. its dashboards read ``rollup_for`` / ``child_rollups`` and include the node
   partials; its school table is one ``SchoolTable``.
"""
