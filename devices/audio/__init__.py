"""Offline voice announcements: Vietnamese number reading, voice packs, rendering, speakers.

Entry points: ``xephang.devices.audio.voice`` (``Voice``, ``VoiceConfig``),
``xephang.devices.audio.check`` (``check_pack``), ``xephang.devices.audio.alike``
(``alike_letters``, ``alike_prefixes``: what sounds alike), ``xephang.devices.audio.speaker``
(``VirtualSpeaker``). Nothing is re-exported here so that
``python -m xephang.devices.audio.<tool>`` runs cleanly.
"""
