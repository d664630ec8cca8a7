"""Accounts, API tokens and roles (no Flask here: the CLI uses this too)."""
