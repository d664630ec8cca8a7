"""The queue domain: models, numbering, priority policy and ticket operations.

Nothing here imports Flask or device code. Each operation runs one short transaction
and returns the domain events it caused.
"""
