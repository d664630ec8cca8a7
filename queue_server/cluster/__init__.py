"""Cluster mode: several server processes on one PostgreSQL database, joined by Redis."""
