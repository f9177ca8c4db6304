"""Servers started by the tests keep no index cache (tests/test_indexer.py sets its own)."""

from __future__ import annotations

import os

os.environ.setdefault("PARAM_LSP_CACHE_DIR", "off")
