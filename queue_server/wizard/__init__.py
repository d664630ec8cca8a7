"""The setup wizard of a new center: ``xephang setup`` and the first-start page
(docs/setup.md)."""
