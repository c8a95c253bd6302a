"""Capture what plugin code writes to stdout/stderr after the handshake.

Stdout belongs to the handshake line. Once it is printed, file descriptor 1 is
pointed at a pipe (so even C code and child processes that inherit fd 1 can
never write to the host's handshake pipe, nor die of SIGPIPE when the host
goes), and `sys.stderr` is pointed at a second pipe; fd 2 itself stays the
hclog log channel. Reader threads turn both pipes into chunks of at most
1 KiB (go-plugin's chunk size) that GRPCStdio/StreamStdio sends to the host.
While no host is listening, a bounded backlog keeps the newest chunks.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import io
import os
import sys
import threading

__all__ = ["STDERR", "STDOUT", "StdioHub", "redirect_process_stdio"]

STDOUT = 1  # StdioData.Channel values on the wire
STDERR = 2
CHUNK = 1024
BACKLOG_CHUNKS = 256
QUEUE_CHUNKS = 1024

Chunk = tuple[int, bytes]


class StdioHub:
    """Fan-out of captured output to StreamStdio subscribers (asyncio side)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._subscribers: list[asyncio.Queue[Chunk | None]] = []
        self._backlog: collections.deque[Chunk] = collections.deque(maxlen=BACKLOG_CHUNKS)
        self._closed = False

    def publish_threadsafe(self, channel: int, data: bytes) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed during exit
            self._loop.call_soon_threadsafe(self._publish, channel, data)

    def _publish(self, channel: int, data: bytes) -> None:
        if not self._subscribers:
            self._backlog.append((channel, data))
            return
        for queue in self._subscribers:
            if queue.full():  # a stuck host must not grow memory forever
                _ = queue.get_nowait()
            queue.put_nowait((channel, data))

    def subscribe(self) -> asyncio.Queue[Chunk | None]:
        queue: asyncio.Queue[Chunk | None] = asyncio.Queue(maxsize=QUEUE_CHUNKS)
        if self._closed:
            queue.put_nowait(None)
            return queue
        while self._backlog:
            queue.put_nowait(self._backlog.popleft())
        self._subscribers.append(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Chunk | None]) -> None:
        if queue in self._subscribers:
            self._subscribers.remove(queue)

    def close(self) -> None:
        """End every stream (shutdown)."""
        self._closed = True
        for queue in self._subscribers:
            if queue.full():
                _ = queue.get_nowait()
            queue.put_nowait(None)


def _pump(fd: int, channel: int, hub: StdioHub) -> None:
    while True:
        try:
            data = os.read(fd, CHUNK)
        except OSError:
            return
        if not data:
            return
        hub.publish_threadsafe(channel, data)


def redirect_process_stdio(hub: StdioHub) -> None:
    """Point fd 1 and sys.stdout/sys.stderr at pipes feeding `hub`."""
    sys.stdout.flush()
    out_r, out_w = os.pipe()
    os.dup2(out_w, 1)
    os.close(out_w)
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)
    err_r, err_w = os.pipe()
    sys.stderr.flush()
    sys.stderr = io.TextIOWrapper(
        os.fdopen(err_w, "wb", buffering=0),
        encoding="utf-8",
        errors="backslashreplace",
        line_buffering=True,
        write_through=True,
    )
    for fd, channel in ((out_r, STDOUT), (err_r, STDERR)):
        threading.Thread(
            target=_pump, args=(fd, channel, hub), name=f"yurt-stdio-{channel}", daemon=True
        ).start()
