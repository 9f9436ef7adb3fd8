"""One review workflow for any school's data of any programme and period.

A *subject* is one school's data of one programme for one period (an SSQS
cycle year; a PIBK year and collection window). Its state moves through
submitted / verified / returned (with a comment) / reopened (until a date),
and every act is kept as an event (who, when, why). ``rules`` decides, with
no database, what is open for entry and which act is allowed; ``services``
records the acts; ``selectors`` reads; a programme plugs in through
``programmes.register`` (see ``programmes.Programme``).
"""
