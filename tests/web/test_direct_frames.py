"""Frames written straight to a WebSocket (web/direct_frames.py), on real TCP sockets.

The frames are read back with wsproto's decoder. A frame the kernel takes only in part
must be finished before anything else goes out on that connection, in order; a socket
that would block leaves the frame to the client's queue.
"""

from __future__ import annotations

import os
import socket
from types import SimpleNamespace

import engineio.packet
import engineio.socket
import gevent
import gevent.socket
import pytest
import socketio
from wsproto.frame_protocol import FrameProtocol, Opcode

from queue_server.web.direct_frames import (
    Connection,
    DirectFrames,
    install_direct_frames,
    text_frame,
)


def decoded(data: bytes) -> list[str]:
    """The text messages in ``data``, as a client reads them."""
    protocol = FrameProtocol(client=True, extensions=[])
    protocol.receive_bytes(data)
    messages = []
    for frame in protocol.received_frames():
        assert frame.opcode is Opcode.TEXT and frame.frame_finished and frame.message_finished
        assert isinstance(frame.payload, str)
        messages.append(frame.payload)
    return messages


@pytest.mark.parametrize("size", [0, 5, 125, 126, 1000, 65535, 65536, 200_000])
def test_a_text_frame_decodes_whole(size: int) -> None:
    text = ("Quầy 3 — " * (size // 10 + 1))[:size]
    assert decoded(text_frame(text)) == [text]


def tcp_pair(buffer: int) -> tuple[gevent.socket.socket, gevent.socket.socket]:
    """A connected loopback TCP pair (gevent sockets); small buffers fill quickly."""
    with gevent.socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        client = gevent.socket.socket()
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, buffer)
        client.connect(listener.getsockname())
        server, _ = listener.accept()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, buffer)
    return server, client


def read_all(sock: gevent.socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(65536)
        assert chunk, "closed early"
        data += chunk
    return data


def test_a_frame_taken_in_part_is_finished_before_anything_else() -> None:
    server, client = tcp_pair(4096)
    connection = Connection(server)
    messages = [f'42/display,["batch",{n},"{"x" * 29_997}"]' for n in range(400)]
    written: list[str] = []
    for message in messages:  # the client reads nothing meanwhile
        if not connection.write_now(text_frame(message)):
            break
        written.append(message)
        if connection.busy:
            break  # taken in part: a greenlet sends the rest
    assert connection.busy == 1, "no write was taken in part"
    assert 0 < len(written) < len(messages)
    assert not connection.write_now(text_frame("late")), "written inside an unfinished frame"

    # The client's writer (a ping, say) waits for the rest of the frame.
    ping = gevent.spawn(connection.send, lambda text: server.sendall(text_frame(text)), "2")
    expected = [*written, "2"]
    size = sum(len(text_frame(text)) for text in expected)
    received = gevent.spawn(read_all, client, size)
    received.join(timeout=30)
    ping.join(timeout=30)
    assert received.successful() and ping.successful()
    assert received.value is not None

    assert decoded(received.value) == expected
    assert connection.busy == 0 and not connection.lock.locked()
    assert connection.write_now(text_frame("after")) and decoded(read_all(client, 7)) == ["after"]
    server.close()
    client.close()


def test_a_full_socket_leaves_the_frame_to_the_queue() -> None:
    server, client = tcp_pair(4096)
    connection = Connection(server)
    filled = 0
    try:
        while True:  # fill the kernel's buffers straight
            filled += os.write(server.fileno(), b"\x00" * 4096)
    except BlockingIOError:
        pass
    assert not connection.write_now(text_frame("ticket A001")), "a full socket took a frame"
    assert connection.busy == 0 and not connection.lock.locked()
    assert len(read_all(client, filled)) == filled  # nothing but the filling was written
    client.settimeout(0.2)
    with pytest.raises(TimeoutError):
        client.recv(1)
    server.close()
    client.close()


def test_a_broken_connection_leaves_the_frame_to_the_queue() -> None:
    server, client = tcp_pair(65536)
    connection = Connection(server)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    client.close()  # a reset
    results = [connection.write_now(text_frame("A001")) for _ in range(3)]
    assert results[-1] is False  # the reset is seen by the second write at the latest
    assert connection.busy == 0
    server.close()


def test_a_closed_connection_is_never_written() -> None:
    """A closed socket's number may be given to the next connection accepted."""
    server, client = tcp_pair(65536)
    connection = Connection(server)
    server.close()
    other, peer = tcp_pair(65536)  # may get the closed socket's number
    assert not connection.write_now(text_frame("A001"))
    peer.settimeout(0.2)
    with pytest.raises(TimeoutError):
        peer.recv(1)
    for sock in (client, other, peer):
        sock.close()


class Frames:
    """:class:`DirectFrames` on a real gevent-mode Socket.IO server, one Engine.IO
    socket registered on a TCP pair (as a WebSocket connection that finished its
    upgrade)."""

    def __init__(self) -> None:
        server = socketio.Server(async_mode="gevent")
        self.direct = DirectFrames(SimpleNamespace(server=server))  # type: ignore[arg-type]
        self.eio = server.eio
        self.peer, self.client = tcp_pair(65536)
        self.socket = engineio.socket.Socket(self.eio, "sid-1")
        self.socket.upgraded = True
        self.eio.sockets["sid-1"] = self.socket
        self.direct.connections["sid-1"] = Connection(self.peer)

    def send(self, text: str) -> engineio.packet.Packet:
        packet = engineio.packet.Packet(engineio.packet.MESSAGE, text)
        self.direct.send_packet("sid-1", packet)
        return packet

    def received(self, size: int) -> list[str]:
        return decoded(read_all(self.client, size))


def test_a_packet_goes_straight_when_nothing_waits() -> None:
    frames = Frames()
    frames.send('2/display,["batch",[]]')
    assert frames.received(len(text_frame('42/display,["batch",[]]'))) == [
        '42/display,["batch",[]]'
    ]
    assert (frames.direct.direct, frames.direct.queued) == (1, 0)
    assert frames.socket.queue.empty()


def test_a_packet_waits_behind_what_is_queued() -> None:
    frames = Frames()
    first = engineio.packet.Packet(engineio.packet.MESSAGE, "0/display,{}")
    frames.socket.queue.put(first)  # not yet taken by the client's writer
    second = frames.send("2/display,[1]")
    assert frames.socket.queue.qsize() == 2 and frames.socket.queue.queue[-1] is second
    assert (frames.direct.direct, frames.direct.queued) == (0, 1)
    frames.client.settimeout(0.2)
    with pytest.raises(TimeoutError):
        frames.client.recv(1)  # nothing went straight past the queued packet


def test_a_socket_still_upgrading_is_queued() -> None:
    frames = Frames()
    frames.socket.upgraded = False  # long-polling, or its upgrade under way
    frames.send("2/display,[1]")
    assert frames.socket.queue.qsize() == 1
    assert (frames.direct.direct, frames.direct.queued) == (0, 1)


def test_one_packet_to_many_clients_is_framed_once() -> None:
    frames = Frames()
    packet = frames.send("2/display,[1]")
    frame = frames.direct._frame
    frames.direct.send_packet("sid-1", packet)
    assert frames.direct._frame is frame
    assert frames.received(2 * len(frame)) == ["42/display,[1]"] * 2


def test_installed_under_gevent_only() -> None:
    threading_server = socketio.Server(async_mode="threading")
    assert install_direct_frames(SimpleNamespace(server=threading_server)) is None  # type: ignore[arg-type]
    gevent_server = socketio.Server(async_mode="gevent")
    frames = install_direct_frames(SimpleNamespace(server=gevent_server))  # type: ignore[arg-type]
    assert frames is not None and gevent_server.eio.send_packet == frames.send_packet


def test_an_engineio_without_the_parts_relied_on_is_left_alone(
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = socketio.Server(async_mode="gevent")
    del server.eio.sockets  # as if a new Engine.IO kept its clients elsewhere
    send_packet = server.eio.send_packet
    assert install_direct_frames(SimpleNamespace(server=server)) is None  # type: ignore[arg-type]
    assert server.eio.send_packet == send_packet
    assert "screens' frames go through its queues" in caplog.text
