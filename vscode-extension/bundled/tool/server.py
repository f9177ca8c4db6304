"""Starts the param-lsp server bundled with the VS Code extension.

Run as `python -I bundled/tool/server.py serve` (or `--version`) by any CPython >= 3.11: the
bundled libraries (bundled/libs, made by scripts/bundle-server.sh from the project's uv.lock) go
first on sys.path, so whatever else that interpreter has installed (another pygls, or the other
project that installs a `param-lsp` command) is never imported instead.
"""

import os
import sys

LIBS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "libs")

if sys.version_info < (3, 11):
    sys.stderr.write(
        "polyaxon-param-lsp needs Python 3.11 or newer; %s is Python %d.%d\n"
        % (sys.executable, sys.version_info[0], sys.version_info[1])
    )
    sys.exit(3)
if not os.path.isdir(os.path.join(LIBS, "param_lsp")):
    sys.stderr.write("the extension has no bundled server in %s\n" % LIBS)
    sys.exit(4)
sys.path.insert(0, LIBS)

from param_lsp.cli.main import main  # noqa: E402

sys.exit(main())
