"""The base protocol over stdio: headers and bodies read defensively.

pygls' reader allocates whatever `Content-Length` says (`100000000000` ends the process), reads
a header line however long it is, and after one body of the wrong length never finds a header
again, because it only accepts a line that is exactly `Content-Length: N`. This reader:

- reads header lines in pieces of at most :data:`MAX_LINE_BYTES`;
- finds `Content-Length` at the end of any line (case-insensitive), so that a header glued to
  the tail of a body of the wrong length starts the next message again;
- never reads a body larger than :data:`MAX_MESSAGE_BYTES`: it looks for the next header
  instead (a JSON body holds no raw line break, so no header can be found inside one);
- goes on after a body that is not JSON.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
from concurrent.futures import Executor
from typing import Any, BinaryIO

log = logging.getLogger(__name__)

#: The largest message body read (a didOpen of the largest document an editor would send).
MAX_MESSAGE_BYTES = 128 * 1024 * 1024
#: Header lines are read in pieces of this size at most.
MAX_LINE_BYTES = 64 * 1024
_CONTENT_LENGTH = re.compile(rb"content-length[ \t]*:[ \t]*(\d{1,20})[ \t]*\r?\n$", re.IGNORECASE)


#: Bytes asked for at once: whatever has arrived, up to this many, is read in one call.
READ_BYTES = 64 * 1024


class StdinReader:
    """Blocking reads of a binary stream, run in an executor.

    What has arrived is read at once (``read1``) and kept: a message's header lines and body
    usually come in one read, so a message costs the event loop one wake-up from the
    executor, not one per line. Reads are made only when the buffer cannot answer, so a
    client that writes faster than the server reads is held back by the pipe, as before.
    """

    def __init__(self, stream: BinaryIO, executor: Executor | None = None) -> None:
        self.stream = stream
        self.executor = executor
        self._read_some = getattr(stream, "read1", None)
        self._buffer = bytearray()
        self._eof = False

    async def _fill(self) -> None:
        loop = asyncio.get_running_loop()
        assert self._read_some is not None
        chunk = await loop.run_in_executor(self.executor, self._read_some, READ_BYTES)
        if chunk:
            self._buffer += chunk
        else:
            self._eof = True

    def _take(self, n: int) -> bytes:
        taken = bytes(self._buffer[:n])
        del self._buffer[:n]
        return taken

    async def readline(self) -> bytes:
        """A line (with its line break), or its first :data:`MAX_LINE_BYTES` bytes; b"" at
        the end of the input."""
        if self._read_some is None:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self.executor, self.stream.readline, MAX_LINE_BYTES)
        while True:
            end = self._buffer.find(b"\n", 0, MAX_LINE_BYTES)
            if end >= 0:
                return self._take(end + 1)
            if len(self._buffer) >= MAX_LINE_BYTES or self._eof:
                return self._take(MAX_LINE_BYTES)
            await self._fill()

    async def readexactly(self, n: int) -> bytes:
        """``n`` bytes, or fewer if the input ends before."""
        loop = asyncio.get_running_loop()
        if self._read_some is None:
            return await loop.run_in_executor(self.executor, self.stream.read, n)
        if len(self._buffer) >= n or self._eof:
            return self._take(n)
        head = self._take(len(self._buffer))
        rest = await loop.run_in_executor(self.executor, self.stream.read, n - len(head))
        if len(rest) < n - len(head):
            self._eof = True
        return head + rest


async def read_messages(
    stop_event: threading.Event,
    reader: Any,
    protocol: Any,
    max_bytes: int | None = None,
) -> None:
    """Read framed messages until the input ends (or ``stop_event``); hand each to ``protocol``."""
    limit = MAX_MESSAGE_BYTES if max_bytes is None else max_bytes
    length: int | None = None
    while not stop_event.is_set():
        line = await reader.readline()
        if not line:
            return
        match = _CONTENT_LENGTH.search(line)
        if match is not None:
            length = int(match.group(1))
            if length > limit:
                log.error("param-lsp: skipped a message of %d bytes (at most %d)", length, limit)
                length = None  # its body is read as noise until the next header
            continue
        if line.strip() or length is None:
            continue  # another header (Content-Type), or noise between messages
        size, length = length, None
        body = await reader.readexactly(size) if size else b""
        if len(body) < size:
            return  # the input ended inside the body
        try:
            message = json.loads(body, object_hook=protocol.structure_message)
        except Exception:
            log.error("param-lsp: dropped a message that is not JSON-RPC: %r", body[:200])
            continue
        try:
            protocol.handle_message(message)
        except Exception:
            log.exception("param-lsp: unable to handle a message")
