"""Offline voice announcements: Vietnamese number reading, voice packs, rendering, speakers.

Entry points: ``devices.audio.voice`` (``Voice``, ``VoiceConfig``), ``devices.audio.check``
(``check_pack``), ``devices.audio.speaker`` (``VirtualSpeaker``). Nothing is re-exported here so
that ``python -m devices.audio.<tool>`` runs cleanly.
"""
