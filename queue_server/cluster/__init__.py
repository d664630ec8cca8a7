"""Cluster mode: what several server processes share through Redis.

In cluster mode (``[cluster] redis_url`` set, PostgreSQL as the database) the rate
limits and the counter holders live in Redis, so that every process sees the same
ones; without it they stay in the process's memory (:mod:`queue_server.web.ratelimit`,
:mod:`queue_server.web.counter_holders`). Redis is never needed to serve the queue:
when it does not answer, limits fail open and each process knows only its own
holders, and the failures are logged and counted (:mod:`.redis_link`).
"""
