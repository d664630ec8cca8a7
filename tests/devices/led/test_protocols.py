"""Wire formats: exact bytes, cross-checked with pymodbus, and read back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pymodbus.framer import FramerRTU
from pymodbus.pdu import DecodePDU
from pymodbus.pdu.register_message import WriteSingleRegisterRequest

from xephang.devices.led.digits import MissingNumberError
from xephang.devices.led.protocols import (
    AsciiLineProtocol,
    BoardFrame,
    FourByteProtocol,
    FrameError,
    LedProtocol,
    ModbusProtocol,
)
from xephang.devices.led.protocols.crc import crc16_modbus


def pymodbus_decode(frame: bytes) -> WriteSingleRegisterRequest:
    """Parse an RTU request the way a pymodbus server would."""
    framer = FramerRTU(DecodePDU(is_server=True))
    used, pdu = framer.handleFrame(frame, 0, 0)
    assert used == len(frame)
    assert isinstance(pdu, WriteSingleRegisterRequest), pdu
    return pdu


# -- Modbus RTU ---------------------------------------------------------------------


def test_crc_check_value() -> None:
    assert crc16_modbus(b"123456789") == 0x4B37


def test_modbus_documented_frame() -> None:
    assert ModbusProtocol().encode(1, "1023") == bytes.fromhex("01 06 00 00 03 FF C9 7A")


def test_modbus_ticket_string_shows_its_digits() -> None:
    frame = ModbusProtocol().encode(3, "A023")
    pdu = pymodbus_decode(frame)
    assert (pdu.dev_id, pdu.address, pdu.registers) == (3, 0, [23])


@given(
    address=st.integers(1, 247),
    register=st.integers(0, 0xFFFF),
    value=st.integers(0, 9999),
)
def test_modbus_frames_agree_with_pymodbus(address: int, register: int, value: int) -> None:
    protocol = ModbusProtocol(display_register=register, clear_value=0xFFFF)
    frame = protocol.encode(address, f"B{value:03d}")
    built = FramerRTU(DecodePDU(is_server=False)).buildFrame(
        WriteSingleRegisterRequest(address=register, registers=[value], dev_id=address)
    )
    assert frame == built
    pdu = pymodbus_decode(frame)
    assert (pdu.dev_id, pdu.address, pdu.registers) == (address, register, [value])
    assert protocol.decode(frame) == BoardFrame(address, str(value))


@pytest.mark.parametrize("clear_value", [0, 0xFFFF])
def test_modbus_clear_writes_the_clear_value(clear_value: int) -> None:
    protocol = ModbusProtocol(display_register=7, clear_value=clear_value)
    frame = protocol.encode(9, None)
    pdu = pymodbus_decode(frame)
    assert (pdu.dev_id, pdu.address, pdu.registers) == (9, 7, [clear_value])
    assert protocol.decode(frame) == BoardFrame(9, None)


def test_modbus_blink_sets_the_mask_bit() -> None:
    protocol = ModbusProtocol(blink_mask=0x8000)
    frame = protocol.encode(2, "A042", blink=True)
    assert pymodbus_decode(frame).registers == [0x8000 | 42]
    assert protocol.decode(frame) == BoardFrame(2, "42", blink=True)
    assert ModbusProtocol().encode(2, "A042", blink=True) == ModbusProtocol().encode(2, "A042")


@pytest.mark.parametrize(
    "options",
    [{"digits": 5}, {"blink_mask": 0x0003}, {"blink_mask": 0x2000}, {"display_register": -1}],
)
def test_modbus_rejects_inconsistent_options(options: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        ModbusProtocol(**options)  # type: ignore[arg-type]


@pytest.mark.parametrize("address", [0, 248])
def test_modbus_rejects_broadcast_and_reserved_units(address: int) -> None:
    with pytest.raises(ValueError, match="1–247"):
        ModbusProtocol().encode(address, "A001")


def test_modbus_decode_rejects_corruption() -> None:
    frame = bytearray(ModbusProtocol().encode(1, "1023"))
    frame[4] ^= 0x01
    with pytest.raises(FrameError, match="CRC"):
        ModbusProtocol().decode(bytes(frame))
    other_register = ModbusProtocol(display_register=5).encode(1, "7")
    with pytest.raises(FrameError, match="register"):
        ModbusProtocol().decode(other_register)


# -- 4-byte vendor frame ------------------------------------------------------------


def test_four_byte_documented_frame() -> None:
    assert FourByteProtocol().encode(5, "999") == bytes.fromhex("05 03 E7 EF")
    assert FourByteProtocol().decode(bytes.fromhex("05 03 E7 EF")) == BoardFrame(5, "999")


@given(address=st.integers(0, 255), value=st.integers(1, 9999))
def test_four_byte_round_trip(address: int, value: int) -> None:
    protocol = FourByteProtocol()
    frame = protocol.encode(address, f"C{value}")
    assert frame[3] == sum(frame[:3]) & 0xFF
    assert protocol.decode(frame) == BoardFrame(address, str(value))


def test_four_byte_clear_and_checksum() -> None:
    protocol = FourByteProtocol(clear_value=0xFFFF)
    assert protocol.encode(1, None) == bytes([1, 0xFF, 0xFF, 0xFF])
    assert protocol.decode(bytes([1, 0xFF, 0xFF, 0xFF])) == BoardFrame(1, None)
    with pytest.raises(FrameError, match="checksum"):
        protocol.decode(bytes.fromhex("05 03 E7 EE"))


# -- ASCII line ---------------------------------------------------------------------


def test_ascii_default_template() -> None:
    protocol = AsciiLineProtocol()
    assert protocol.encode(1, "A023") == b"01A023\r\n"
    assert protocol.decode(b"01A023\r\n") == BoardFrame(1, "A023")
    assert protocol.encode(1, None) == b"01\r\n"
    assert protocol.decode(b"01\r\n") == BoardFrame(1, None)


def test_ascii_fixed_width_address_is_kept_apart_from_digits() -> None:
    protocol = AsciiLineProtocol("{address:02d}{digits}\n")
    assert protocol.encode(1, "23") == b"0123\n"
    assert protocol.decode(b"0123\n") == BoardFrame(1, "23")
    with pytest.raises(ValueError, match="width"):
        protocol.encode(100, "1")


def test_ascii_all_fields() -> None:
    protocol = AsciiLineProtocol(
        "#{address},{value:04d},{blink},{digits}\r", clear_template="#{address},OFF\r"
    )
    assert protocol.supports_blink
    assert protocol.encode(12, "B0045", blink=True) == b"#12,0045,1,0045\r"
    assert protocol.decode(b"#12,0045,1,0045\r") == BoardFrame(12, "0045", blink=True)
    assert protocol.encode(12, None) == b"#12,OFF\r"
    assert protocol.decode(b"#12,OFF\r") == BoardFrame(12, None)


def test_ascii_digit_limit() -> None:
    protocol = AsciiLineProtocol("{address}:{digits}\n", digits=3)
    assert protocol.encode(4, "A12345") == b"4:345\n"


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("{address}{ticket}\r\n", "unknown field"),
        ("{address}{number}", "end with fixed text"),
        ("{number}\r\n", "address"),
        ("{address}{number}{number}\n", "twice"),
        ("{address!r}{number}\n", "conversions"),
        ("{address:q}{number}\n", "Unknown format code"),
    ],
)
def test_ascii_bad_templates_are_refused(template: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        AsciiLineProtocol(template)


def test_ascii_refuses_characters_outside_its_encoding() -> None:
    with pytest.raises(UnicodeEncodeError):
        AsciiLineProtocol().encode(1, "Đ12")


# -- streams ------------------------------------------------------------------------

PROTOCOLS: list[LedProtocol] = [ModbusProtocol(), FourByteProtocol(), AsciiLineProtocol()]


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: p.name)
@given(cuts=st.lists(st.integers(0, 60), max_size=6))
def test_split_reassembles_frames_from_any_chunks(protocol: LedProtocol, cuts: list[int]) -> None:
    shows = [(1, "A001"), (2, "B022"), (3, None), (4, "C4444")]
    stream = b"".join(protocol.encode(address, number) for address, number in shows)
    pieces = [
        stream[a:b] for a, b in zip([0, *sorted(cuts)], [*sorted(cuts), len(stream)], strict=True)
    ]
    buffer, frames = b"", []
    for piece in pieces:
        buffer += piece
        found, used = protocol.split(buffer)
        frames += found
        buffer = buffer[used:]
    assert buffer == b""
    assert [protocol.decode(f).address for f in frames] == [1, 2, 3, 4]
    assert protocol.decode(frames[2]).text is None


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: p.name)
def test_split_skips_leading_garbage(protocol: LedProtocol) -> None:
    garbage = b"\x00\xff\x13\n" if protocol.name == "ascii" else b"\x00\xff\x13"
    frame = protocol.encode(7, "A777")
    frames, used = protocol.split(garbage + frame)
    assert frames == [frame]
    assert used == len(garbage) + len(frame)


def test_numeric_protocols_refuse_a_missing_number() -> None:
    for protocol in (ModbusProtocol(), FourByteProtocol()):
        with pytest.raises(MissingNumberError):
            protocol.encode(1, "A")
