"""What every feature receives: the current text plus the best analysis available for it.

While the user types, the YAML is often broken. Features then use a *recovered* analysis: the
text re-parsed with the offending lines blanked (line numbers and columns elsewhere stay
exact), or failing that the last analysis that had a tree. Diagnostics never come from the
recovered analysis; they always describe the real text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from param_lsp.core.cursor import Cursor, cursor_at
from param_lsp.core.findings import Finding
from param_lsp.core.settings import Settings
from param_lsp.core.span import Position, split_lines
from param_lsp.core.workspace import MAX_FILE_BYTES, Workspace
from param_lsp.core.yaml_tree import YMap, parse_yaml
from param_lsp.engine.analyze import Analysis, analyze
from param_lsp.features.index import DocumentIndex, build_index

#: How many re-parses recovery may spend (each blanks one or two more lines).
MAX_RECOVERY_PARSES = 6


@dataclass(slots=True, eq=False)
class DocumentView:
    text: str
    lines: list[str]
    path: Path | None
    #: Analysis whose tree features may use (fresh, recovered or last good); may be None.
    analysis: Analysis | None
    index: DocumentIndex
    #: Findings of the real text at this version (empty when not analysed yet).
    findings: list[Finding] = field(default_factory=list)
    #: Lines of the analysed text when it is not the current one (made on first use).
    analysed_lines: list[str] | None = None

    @property
    def root(self) -> YMap | None:
        return self.analysis.root if self.analysis is not None else None

    def cursor(self, pos: Position) -> Cursor | None:
        """The position lookup every feature starts from (:func:`cursor_at`), with the document's
        tree for flow collections over several lines: as it is when it describes the current
        text, else as the last good tree plus the line being typed."""
        analysis = self.analysis
        if analysis is None or analysis.root is None:
            return cursor_at(self.lines, pos)
        if analysis.text == self.text:
            return cursor_at(self.lines, pos, analysis.root)
        inserted = len(self.lines) - (analysis.text.count("\n") + 1)
        return cursor_at(
            self.lines,
            pos,
            analysis.root,
            analysed_lines=self._analysed_lines,
            inserted=inserted,
        )

    def _analysed_lines(self) -> list[str]:
        if self.analysed_lines is None:
            assert self.analysis is not None
            self.analysed_lines = split_lines(self.analysis.text)
        return self.analysed_lines


def recover_text(text: str) -> str | None:
    """The text with broken lines blanked until it parses; None when that does not help."""
    import yaml

    if len(text) > MAX_FILE_BYTES:
        return None
    lines = text.split("\n")
    blanked: set[int] = set()
    for _ in range(MAX_RECOVERY_PARSES):
        candidate = "\n".join("" if i in blanked else line for i, line in enumerate(lines))
        try:
            yaml.compose(candidate, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.MarkedYAMLError as exc:
            marks = [m.line for m in (exc.context_mark, exc.problem_mark) if m is not None]
            fresh = [line for line in marks if line not in blanked and line < len(lines)]
            if not fresh:
                return None
            blanked.add(fresh[0])
            continue
        except (yaml.YAMLError, UnicodeEncodeError, RecursionError):
            return None  # not a syntax error a blanked line can cure
        return candidate if blanked else None
    return None


def recover_analysis(
    text: str, path: Path | None, settings: Settings, workspace: Workspace | None
) -> Analysis | None:
    """An analysis of the text with its syntax errors blanked out (for features only).

    A text over the analysed size gets none: it is not even parsed once more.
    """
    if len(text) > MAX_FILE_BYTES:
        return None
    parsed = parse_yaml(text)
    if parsed.root is not None:
        return None
    candidate = recover_text(text)
    if candidate is None:
        return None
    recovered = analyze(candidate, path, settings, workspace)
    return recovered if recovered.root is not None else None


def make_view(
    text: str,
    path: Path | None,
    analysis: Analysis | None,
    index: DocumentIndex | None,
    findings: list[Finding] | None = None,
) -> DocumentView:
    return DocumentView(
        text=text,
        lines=split_lines(text),
        path=path,
        analysis=analysis,
        index=index if index is not None else build_index(None, None),
        findings=list(findings or []),
    )


def view_of(
    text: str,
    path: Path | None = None,
    settings: Settings | None = None,
    workspace: Workspace | None = None,
) -> DocumentView:
    """Analyse ``text`` and build a view (tests and one-shot use; the server caches instead)."""
    settings = settings or Settings()
    analysis = analyze(text, path, settings, workspace)
    usable = analysis
    if analysis.root is None:
        usable = recover_analysis(text, path, settings, workspace) or analysis
    return make_view(text, path, usable, build_index(usable, workspace), analysis.findings)
