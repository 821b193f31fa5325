"""Golden sites: build tests/sites/<case>/brief and compare with <case>/expected, file by file.

Regenerate after an intended change with ``BRIEFGEN_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py``
and review the diff of expected/ before committing it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from briefgen.write import MARKER
from linkcheck import broken_links

SITES = Path(__file__).parent / "sites"
CASES = sorted(p.name for p in SITES.iterdir() if (p / "brief").is_dir())


def site_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".briefgen" not in p.parts and p.name != MARKER}


@pytest.mark.parametrize("case", CASES)
def test_golden_site(case: str, tmp_path: Path) -> None:
    output = tmp_path / "build"
    # Built outside git: the pages' dates are the front matter's, not those of briefgen's own commits.
    brief = shutil.copytree(SITES / case / "brief", tmp_path / "brief")
    report = build(BuildOptions(source=brief, output=output, jobs=1))
    assert report.problems == []
    expected = SITES / case / "expected"
    if os.environ.get("BRIEFGEN_UPDATE_GOLDEN"):
        shutil.rmtree(expected, ignore_errors=True)
        for name, content in site_files(output).items():
            (expected / name).parent.mkdir(parents=True, exist_ok=True)
            (expected / name).write_bytes(content)
    actual, wanted = site_files(output), site_files(expected)
    assert sorted(actual) == sorted(wanted)
    for name in wanted:
        assert actual[name].decode("utf-8") == wanted[name].decode("utf-8"), name
    assert broken_links(output) == []
