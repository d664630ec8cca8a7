"""The devices one worker opens: printers' spoolers, LED boards, the voice."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from queue_server.installation_config import KioskConfig
from queue_server.settings import Settings
from queue_server.workers.device_keys import virtual_folder
from xephang.devices.audio.speaker import CommandSpeaker, Speaker, VirtualSpeaker
from xephang.devices.audio.voice import Voice
from xephang.devices.led import BoardSet, BoardStatus, build_board_set
from xephang.devices.led.config import LedConfig
from xephang.devices.printer import PrintJob, PrintSpooler, VirtualPrinterConfig, open_printer

log = logging.getLogger(__name__)


@dataclass
class DeviceSet:
    """The devices one worker owns (and the callbacks to give devices it rebuilds)."""

    boards: BoardSet | None = None
    spoolers: dict[str, PrintSpooler] = field(default_factory=dict)
    voice: Voice | None = None
    speaker: Speaker | None = None
    on_print_job: Callable[[str, PrintJob], None] | None = None
    on_board_status: Callable[[BoardStatus], None] | None = None


def build_spooler(
    settings: Settings,
    kiosk: KioskConfig,
    on_print_job: Callable[[str, PrintJob], None] | None = None,
) -> PrintSpooler | None:
    """The spooler of ``kiosk``'s printer (None without a printer)."""
    if kiosk.printer is None:
        return None
    config = kiosk.printer
    if isinstance(config, VirtualPrinterConfig) and config.folder is None:
        config = config.model_copy(update={"folder": str(virtual_folder(settings, kiosk))})
    printer = open_printer(config)

    def changed(job: PrintJob, kiosk_name: str = kiosk.name) -> None:
        if on_print_job is not None:
            on_print_job(kiosk_name, job)

    return PrintSpooler(printer, config.retry, on_change=changed)


def build_boards(
    settings: Settings,
    on_board_status: Callable[[BoardStatus], None] | None = None,
    buses: set[str] | None = None,
) -> BoardSet | None:
    """The LED boards of ``settings`` (None when there are none); ``buses``: only the
    boards of these buses (the ones this worker holds)."""
    led = settings.led
    if buses is not None:
        led = LedConfig(
            buses=[b for b in led.buses if b.name in buses],
            boards=[b for b in led.boards if b.bus in buses],
        )
    if not led.boards:
        return None
    return build_board_set(led, on_status=on_board_status)


def build_devices(
    settings: Settings,
    *,
    on_print_job: Callable[[str, PrintJob], None] | None = None,
    on_board_status: Callable[[BoardStatus], None] | None = None,
    leased: bool = False,
) -> DeviceSet:
    """Open the devices configured in ``settings`` (virtual twins where configured);
    ``leased``: no printer nor board yet (the worker opens those it holds the lease of)."""
    spoolers: dict[str, PrintSpooler] = {}
    for kiosk in [] if leased else settings.kiosks:
        spooler = build_spooler(settings, kiosk, on_print_job)
        if spooler is not None:
            spoolers[kiosk.name] = spooler
    voice: Voice | None = None
    speaker: Speaker | None = None
    if settings.voice.enabled and settings.devices.speaker != "none":
        try:
            voice = Voice(settings.voice, cache_dir=Path(settings.data_dir) / "voice-cache")
            if settings.devices.speaker == "command":
                speaker = CommandSpeaker(voice.renderer, settings.devices.speaker_command)
            else:
                speaker = VirtualSpeaker(voice.renderer)
        except Exception as exc:  # a broken voice pack must not stop the queue
            log.error("voice disabled: %s", exc)
    return DeviceSet(
        boards=None if leased else build_boards(settings, on_board_status),
        spoolers=spoolers,
        voice=voice,
        speaker=speaker,
        on_print_job=on_print_job,
        on_board_status=on_board_status,
    )
