"""Comparing param-lsp's verdicts with Polyaxon's on the real-file corpus (shared, not copied)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from param_lsp.core.findings import Severity
from param_lsp.core.settings import Settings
from param_lsp.core.workspace import Workspace
from param_lsp.engine.analyze import analyze
from param_lsp.rules.registry import RULES

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "real"
KNOWN = HERE / "data" / "corpus_known_disagreements.json"

#: Component files are judged as templates: failing only for missing params is not a rejection.
TEMPLATE_MESSAGES = (
    "The Polyaxonfile has non optional inputs/outputs",
    "is required, no param was passed",
)


def corpus_dir() -> Path:
    return Path(os.environ.get("PARAM_LSP_CORPUS", DEFAULT_CORPUS))


@dataclass
class Verdict:
    file: str
    oracle_rejects: bool
    ours_rejects: bool
    oracle_message: str
    our_codes: list[str]
    stricter_only: bool  # every error of ours comes from a rule Polyaxon does not enforce
    #: A Polyaxon v0 file: one notice (PLX104) that it is not checked, which Polyaxon rejects.
    not_checked: bool = False

    @property
    def agrees(self) -> bool:
        if self.not_checked:
            return self.oracle_rejects and not self.ours_rejects
        return self.oracle_rejects == self.ours_rejects


def load_verdicts(corpus: Path, name: str = "oracle-verdicts.jsonl") -> list[dict[str, object]]:
    with open(corpus / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def expected_rejects(row: dict[str, object]) -> bool:
    if row["ok"]:
        return False
    message = str(row.get("message") or "")
    if row.get("kind") == "component" and row.get("stage") == "params":
        return not any(text in message for text in TEMPLATE_MESSAGES)
    return True


#: How the verdict files were made: the polyaxon-examples raw URLs read from `examples/`.
EXAMPLES_URL = "https://raw.githubusercontent.com/polyaxon/polyaxon-examples/master"
HUB_VERDICTS = "oracle-verdicts-hub.jsonl"


#: The hand-written bases of the edit mutants (DAGs and joins the corpus has few of).
EDIT_BASES = HERE / "data" / "edit_mutants" / "bases"
LOCAL_BASE = "_bases/"


def edit_base_path(base: str) -> Path:
    """A mutant's base file: a corpus file, or `_bases/NAME` in `EDIT_BASES`."""
    if base.startswith(LOCAL_BASE):
        return EDIT_BASES / base[len(LOCAL_BASE) :]
    return corpus_dir() / base


def edit_base_root(base: str) -> Path:
    return EDIT_BASES if base.startswith(LOCAL_BASE) else corpus_dir()


def corpus_settings(
    corpus: Path, target_version: str = "2.18", public_hub: bool = True
) -> Settings:
    return Settings(
        target_version=target_version,
        root=str(corpus),
        url_map={EXAMPLES_URL: str(corpus / "examples")},
        public_hub=public_hub,
    )


def judge(
    corpus: Path, target_version: str = "2.18", public_hub: bool | None = None
) -> list[Verdict]:
    """Our verdicts next to Polyaxon's. With the bundled public hub (the default for 2.18), the
    verdicts Polyaxon gave with the hub snapshot replace the offline ones for the files that use
    it; 2.16.4 has verdicts without the hub only, so it is judged without it."""
    name = "oracle-verdicts.jsonl" if target_version == "2.18" else "oracle-verdicts-2.16.4.jsonl"
    if public_hub is None:
        public_hub = target_version == "2.18"
    settings = corpus_settings(corpus, target_version, public_hub)
    workspace = Workspace(root=corpus)
    rows = load_verdicts(corpus, name)
    if public_hub:
        with_hub = {str(row["file"]): row for row in load_verdicts(corpus, HUB_VERDICTS)}
        rows = [with_hub.get(str(row["file"]), row) for row in rows]
    verdicts = []
    for row in rows:
        path = corpus / str(row["file"])
        text = path.read_bytes().decode("utf-8", errors="replace")
        analysis = analyze(text, path, settings, workspace)
        errors = [f for f in analysis.findings if f.severity == Severity.ERROR]
        verdicts.append(
            Verdict(
                file=str(row["file"]),
                oracle_rejects=expected_rejects(row),
                ours_rejects=bool(errors),
                oracle_message=str(row.get("message") or "")[:300],
                our_codes=sorted({f.code for f in errors}),
                stricter_only=bool(errors)
                and all(not RULES[f.code].polyaxon_rejects for f in errors),
                not_checked=[f.code for f in analysis.findings] == ["PLX104"],
            )
        )
    return verdicts


def load_known() -> dict[str, str]:
    if not KNOWN.exists():
        return {}
    data: dict[str, str] = json.loads(KNOWN.read_text(encoding="utf-8"))
    return data


if __name__ == "__main__":
    import sys

    version = sys.argv[1] if len(sys.argv) > 1 else "2.18"
    hub = None if len(sys.argv) < 3 else sys.argv[2] == "hub"
    results = judge(corpus_dir(), version, hub)
    known = load_known()
    bad = [v for v in results if not v.agrees]
    print(f"{len(results) - len(bad)}/{len(results)} agree")
    for v in bad:
        flag = "known" if v.file in known else ("stricter" if v.stricter_only else "NEW")
        side = "we reject" if v.ours_rejects else "we accept"
        print(f"[{flag}] {side}: {v.file} ours={v.our_codes} oracle={v.oracle_message[:160]!r}")
