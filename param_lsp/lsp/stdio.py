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


class StdinReader:
    """Blocking reads of a binary stream, run in an executor."""

    def __init__(self, stream: BinaryIO, executor: Executor | None = None) -> None:
        self.stream = stream
        self.executor = executor

    async def readline(self) -> bytes:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self.stream.readline, MAX_LINE_BYTES)

    async def readexactly(self, n: int) -> bytes:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self.stream.read, n)


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
