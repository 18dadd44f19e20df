"""Workshop mode: facilitator accounts, live sessions with join codes, results.

The blueprint (``common.bp``, mounted at ``/atelier``) has two kinds of pages: the
facilitator's (``facilitator``) and the participants' (``participant``); ``routes``
gathers them. The other modules are the pieces they are made of: pure rules in
``codes``, ``state``, ``analysis`` and ``export``; database work in ``services`` and
``ratelimit``; tables in ``models`` (migration ``0002_workshop``). Questions are shown
and read back as everywhere else (``questions/_macros.html``, ``webapp.answers``).

The rules, in one place:

- Facilitators are created with ``coopkit facilitator add EMAIL`` (scrypt hash).
  Changing the password logs every other browser out.
- A session fixes its quiz and seed, so every participant gets the same questions
  in the same order. Its join code has six characters from an alphabet without
  0/O/1/I/L, unique among open sessions (a partial unique index).
- Pace: *live* (the facilitator opens, closes and reveals each question) or *self*
  (each participant answers at their own pace, with feedback after each answer).
- One answer per participant and question: the **first** one counts. The insert is
  guarded by the session's state in the same SQL statement, so an answer sent after
  the facilitator closed the question is refused, even at the same instant.
- Failed joins and logins are rate-limited per browser and per address, in the
  database, so the limit holds across workers.
- Pages poll a small JSON state and swap in the fresh page when it changes: the
  projector and the dashboard every 0.4 s (an answer shows within a second), phones
  every second from a random start. The state carries an ETag (a bodiless 304 while
  nothing changed) and a phone's poll is answered from the worker's memory (``live``:
  the version for 0.2 s, a participant's membership once seen). Without JavaScript
  pages refresh themselves or on demand. ``bench/live_room.py`` measures the room.
- An optional timer per session (10 s to 2 min): phones, projector and dashboard count
  down; an answer arriving more than 2 s after the end is refused.
- A live quiz counts the questions it opened (``Workshop.asked``): ended early, its
  rates, maxima, summary and CSVs cover only those.
- « Terminer maintenant », closing and archiving ask for a confirmation first (a
  ``<details>`` with the real button: no script needed).
"""
