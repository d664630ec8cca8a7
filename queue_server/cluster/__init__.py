"""Cluster mode: several server processes on one PostgreSQL database, joined by Redis.

In cluster mode (``[cluster] redis_url`` set, PostgreSQL as the database) the rate
limits and the counter holders live in Redis, so that every process sees the same
ones, and a doorbell channel wakes every process's relay when one of them commits
events (:mod:`.doorbell`); without it they stay in the process's memory
(:mod:`queue_server.web.ratelimit`, :mod:`queue_server.web.counter_holders`). Redis is
never needed to serve the queue: when it does not answer, limits fail open, each
process knows only its own holders, relays poll the outbox, and the failures are
logged and counted (:mod:`.redis_link`).
"""
