"""A real Emacs with eglot, in batch mode, as the client: a diagnostic and completion in
`{{ globals. }}`.

Debian 12: `apt-get install emacs-nox elpa-eglot` (Emacs 28.2, eglot 1.9), done by
`tests/editors/install-editors.sh`. Slow (one Emacs and one server start):
`.venv/bin/pytest -m slow tests/editors/test_emacs.py`.

Batch Emacs needs three adjustments (none is needed interactively): the Debian elpa folders
are put on `load-path` (`-Q` skips them), eglot is started with `eglot` instead of
`eglot-ensure` (which waits for a command loop), and edits are flushed with
`eglot--signal-textDocument/didChange` (idle timers never fire in batch).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.editors.support import run_editor

ROOT = Path(__file__).resolve().parent.parent.parent
EMACS = shutil.which("emacs")
ELPA_LOAD_PATH = (
    '(dolist (d (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*"))'
    " (add-to-list 'load-path d))"
)

CHECK = r"""
(setq debug-on-error nil)
(require 'eglot)
(require 'json)
(require 'flymake)
(defun check-out (obj) (princ (concat (json-encode obj) "\n")))
(defun check-fail (msg) (check-out `((ok . :json-false) (error . ,msg))) (kill-emacs 1))
(defun check-wait (predicate seconds)
  "Run the event loop until PREDICATE holds or SECONDS pass; its last value."
  (let ((deadline (+ (float-time) seconds)) (value nil))
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    value))

(let* ((ws (file-name-as-directory (getenv "PARAM_LSP_WS")))
       (cmd (split-string (getenv "PARAM_LSP_CMD"))))
  (setq eglot-sync-connect t eglot-connect-timeout 30)
  (define-derived-mode polyaxon-yaml-mode text-mode "Polyaxon")
  (add-to-list 'eglot-server-programs `(polyaxon-yaml-mode . ,cmd))
  ;; The copied examples folder is the project (and the server's workspace root).
  (add-hook 'project-find-functions (lambda (_dir) (cons 'transient ws)))
  (condition-case err
      (progn
        ;; 1. A diagnostic: `epochs: 2.5` for an int input (line 7, column 11).
        (find-file (concat ws "mistakes/typo-and-types.yaml"))
        (polyaxon-yaml-mode)
        (apply #'eglot (eglot--guess-contact))
        (unless (eglot-current-server) (check-fail "eglot did not connect"))
        (check-out `((step . "initialized") (emacs . ,emacs-version)))
        (let ((diagnostics
               (check-wait
                (lambda ()
                  (flymake-start)
                  (seq-filter (lambda (d) (string-match-p "PLX302" (flymake-diagnostic-text d)))
                              (flymake-diagnostics)))
                20)))
          (unless diagnostics (check-fail "no PLX302 diagnostic"))
          (check-out
           `((step . "diagnostics")
             (diagnostics
              . ,(vconcat
                  (mapcar (lambda (d)
                            (save-excursion
                              (goto-char (flymake-diagnostic-beg d))
                              `((line . ,(1- (line-number-at-pos)))
                                (column . ,(current-column))
                                (type . ,(symbol-name (flymake-diagnostic-type d)))
                                (text . ,(flymake-diagnostic-text d)))))
                          diagnostics))))))
        ;; 2. Completion after `{{ globals.` once the key is deleted (incremental didChange).
        (find-file (concat ws "components/train.yaml"))
        (polyaxon-yaml-mode)
        (eglot--maybe-activate-editing-mode)
        (unless (eglot-managed-p) (check-fail "train.yaml is not managed by eglot"))
        (goto-char (point-min))
        (unless (search-forward "{{ globals.artifacts_path" nil t)
          (check-fail "no globals.artifacts_path in the component"))
        (delete-region (- (point) (length "artifacts_path")) (point))
        (eglot--signal-textDocument/didChange)
        (let ((labels
               (check-wait
                (lambda ()
                  (let* ((result (jsonrpc-request (eglot-current-server) :textDocument/completion
                                                  (eglot--TextDocumentPositionParams)))
                         (items (if (vectorp result) result (plist-get result :items)))
                         (names (mapcar (lambda (item) (plist-get item :label)) items)))
                    (and (member "artifacts_path" names) names)))
                20)))
          (unless labels (check-fail "completion after {{ globals. lacks artifacts_path"))
          (check-out `((step . "completion") (count . ,(length labels))
                       (labels . ,(vconcat labels)))))
        (let ((server (eglot-current-server)))
          (ignore-errors (eglot-shutdown server)))
        (check-out '((ok . t)))
        (kill-emacs 0))
    (error (check-fail (format "%S" err)))))
"""


def _eglot_missing() -> str | None:
    """Why the test cannot run here, or None."""
    if EMACS is None:
        return "emacs not found (install: tests/editors/install-editors.sh)"
    probe = subprocess.run(
        [EMACS, "--batch", "-Q", "--eval", f"(progn {ELPA_LOAD_PATH} (require 'eglot))"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if probe.returncode != 0:
        return "eglot not found for emacs (Debian: apt-get install elpa-eglot)"
    return None


@pytest.mark.slow
@pytest.mark.skipif(EMACS is None, reason="emacs not found (tests/editors/install-editors.sh)")
def test_emacs_eglot_client(tmp_path: Path) -> None:
    missing = _eglot_missing()
    if missing is not None:
        pytest.skip(missing)
    assert EMACS is not None
    workspace = tmp_path / "ws"
    shutil.copytree(ROOT / "examples", workspace)
    script = tmp_path / "eglot_check.el"
    script.write_text(f"{ELPA_LOAD_PATH}\n{CHECK}", encoding="utf-8")
    server = Path(sys.executable).with_name("param-lsp")
    env = {
        **os.environ,
        "PARAM_LSP_WS": str(workspace),
        "PARAM_LSP_CMD": f"{server} serve",
        "PARAM_LSP_NO_SCAN": "1",
        "HOME": str(tmp_path),  # eglot/flymake state stays out of the real home
    }
    by_step = run_editor(
        [EMACS, "--batch", "-Q", "-l", str(script)],
        env,
        timeout=120,
        stderr_tail=3000,
    )
    diagnostics = by_step["diagnostics"]["diagnostics"]
    # The value `2.5` of `epochs` (0-based line 6, column 10), shown as an error, once.
    epochs = [d for d in diagnostics if d["line"] == 6]
    assert [(d["column"], d["type"]) for d in epochs] == [(10, "eglot-error")], diagnostics
    assert epochs[0]["text"].startswith("param-lsp [PLX302]: ")
    labels = by_step["completion"]["labels"]
    assert "artifacts_path" in labels and "uuid" in labels
