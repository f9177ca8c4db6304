"""A request the server declines is answered with RequestFailed and logged at debug level only."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from param_lsp.lsp.server import RequestFailed, server


def test_refused_request_is_an_answer_not_an_error(caplog: pytest.LogCaptureFixture) -> None:
    protocol: Any = server.protocol
    sent: list[tuple[Any, Any]] = []
    original = protocol._send_response
    protocol._send_response = lambda msg_id, result=None, error=None: sent.append((msg_id, error))
    loop = asyncio.new_event_loop()
    try:
        future = loop.create_future()
        future.set_exception(RequestFailed("Nothing to rename here."))
        with caplog.at_level(logging.DEBUG):
            protocol._send_handler_result(future, msg_id=7)
    finally:
        protocol._send_response = original
        loop.close()
    ((msg_id, error),) = sent
    assert msg_id == 7 and error.code == RequestFailed.CODE
    assert error.message == "Nothing to rename here."
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    refused = [r for r in caplog.records if "refused" in r.getMessage()]
    assert refused and all(r.levelno == logging.DEBUG and r.exc_info is None for r in refused)
