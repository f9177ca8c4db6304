"""Which YAML files are polyaxonfiles (folders are searched; editors attach to these)."""

from __future__ import annotations

import re

_MARKERS = re.compile(
    r"^(?:kind:[ \t]*['\"]?(?:operation|component)\b|(?:params|inputs|outputs|run|component|"
    r"hubRef|pathRef|urlRef|dagRef|matrix|joins):)",
    re.MULTILINE,
)


def looks_like_polyaxonfile(text: str) -> bool:
    """A top-level `kind` of operation/component, or a top-level Polyaxon section."""
    return _MARKERS.search(text) is not None
