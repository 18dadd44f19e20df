"""Workshop mode: facilitator accounts, live sessions with join codes, results.

The blueprint lives in ``webapp.workshop.routes``; the other modules are the
pieces it is made of (pure rules in ``codes``, ``state``, ``analysis``, ``export``,
``responses``; database work in ``services`` and ``ratelimit``).
"""
