"""xephang's shared foundation: what the server (``queue_server``), the device drivers
(``devices``) and the screens (``display``) all use, and which imports none of them.
"""
