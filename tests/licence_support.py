"""Licence notices of the third-party test data (`tests/data/public/`, `tests/data/foreign/`).

Each data set's SOURCES.md names the repository and licence of every file; its `LICENSES/` folder
holds each repository's licence file verbatim as `<owner>__<repo>.txt`, its NOTICE file as
`<owner>__<repo>.NOTICE.txt`, and further licence files of the repository (a folder's own licence)
as `<owner>__<repo>__<folder>.txt` or `<owner>__<repo>.<name>.txt`.
"""

from __future__ import annotations

from pathlib import Path

_MIT = ("Permission is hereby granted, free of charge, to any person obtaining a copy",)
_BSD = ("Redistribution and use in source and binary forms", "Redistributions in binary form")

#: Phrases every text of the licence holds (SPDX identifiers, as SOURCES.md writes them).
LICENCE_PHRASES: dict[str, tuple[str, ...]] = {
    "MIT": (*_MIT, "The above copyright notice and this permission notice shall be included"),
    "MIT-0": _MIT,
    "Apache-2.0": ("Apache License", "Version 2.0, January 2004", "4. Redistribution."),
    "BSD-2-Clause": _BSD,
    "BSD-3-Clause": (*_BSD, "Neither the name of"),
    "CC0-1.0": ("CC0 1.0 Universal",),
}


def licence_file(data: Path, repo: str) -> Path:
    """The licence file of `owner/repo` in the data set's LICENSES/ folder."""
    return data / "LICENSES" / (repo.replace("/", "__", 1) + ".txt")


def licence_problems(data: Path, files: dict[str, tuple[str, str]]) -> list[str]:
    """What is missing or stray, given each data file (relative path) → (repository, licence).

    Every repository needs its licence file holding the text of each licence its files are
    under (a file under a folder's own licence needs that folder's file holding it); every data
    file on disk must be listed, and every file in LICENSES/ must belong to a listed repository.
    """
    problems: list[str] = []
    licences = data / "LICENSES"
    texts: dict[str, str] = {}
    for path in sorted(licences.iterdir()):
        texts[path.name] = path.read_text(encoding="utf-8")
    by_repo: dict[str, set[str]] = {}
    for repo, licence in files.values():
        by_repo.setdefault(repo, set()).add(licence)
    for repo, repo_licences in sorted(by_repo.items()):
        stem = repo.replace("/", "__", 1)
        if not licence_file(data, repo).is_file():
            problems.append(f"{repo}: no LICENSES/{stem}.txt")
            continue
        own = [text for name, text in texts.items() if name.startswith((stem + ".", stem + "__"))]
        for licence in sorted(repo_licences):
            phrases = LICENCE_PHRASES.get(licence)
            if phrases is None:
                problems.append(f"{repo}: {licence} is not a licence this test data may use")
            elif not any(all(p in text for p in phrases) for text in own):
                problems.append(f"{repo}: no {licence} text in LICENSES/{stem}*.txt")
    stems = {repo.replace("/", "__", 1) for repo in by_repo}
    for name in sorted(texts):
        if not any(name.startswith((stem + ".", stem + "__")) for stem in stems):
            problems.append(f"LICENSES/{name} belongs to no listed repository")
    on_disk = {
        path.relative_to(data).as_posix()
        for path in data.rglob("*")
        if path.is_file() and path.parent != data and path.parent != licences
    }
    problems += [f"{name}: not in SOURCES.md" for name in sorted(on_disk - set(files))]
    problems += [f"{name}: listed but missing" for name in sorted(set(files) - on_disk)]
    return problems
