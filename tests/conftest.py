"""Shared helpers: write a small brief into a temporary folder."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

ACTORS = {
    "content/actors/azerbaijan.md": """\
        ---
        name: Azerbaijan
        kind: state
        aliases: [Baku]
        ---
        A state on the Caspian.
        """,
    "content/actors/russia.md": """\
        ---
        name: Russia
        kind: state
        aliases: [Moscow, the Kremlin]
        ---
        """,
    "content/actors/aliyev.md": """\
        ---
        name: Ilham Aliyev
        kind: person
        aliases: [Aliyev, President Aliyev, Ilham Əliyev]
        affiliation: azerbaijan
        role: President of Azerbaijan
        ---
        Leads Azerbaijan; spoke with Putin in August.
        """,
    "content/actors/putin.md": """\
        ---
        name: Vladimir Putin
        kind: person
        aliases: [Putin]
        affiliation: russia
        role: President of Russia
        ---
        """,
    "content/actors/hajiyev.md": """\
        ---
        name: Hikmet Hajiyev
        kind: person
        aliases: [Hajiyev, Hikmət Hacıyev]
        affiliation: azerbaijan
        role: Foreign policy adviser to the president
        ---
        """,
    "content/actors/lavrov.md": """\
        ---
        name: Sergey Lavrov
        kind: person
        aliases: [Lavrov, Сергей Лавров]
        affiliation: russia
        role: Foreign Minister of Russia
        ---
        """,
}

EVENTS = {
    "content/events/tovuz-clashes.md": """\
        ---
        title: Border clashes near Tovuz
        date: "2020-07"
        place: Tovuz
        actors: [azerbaijan, {id: russia, role: observer}]
        sources: [summer-of-strain]
        ---
        Fighting on the state border, far from Karabakh.
        """,
    "content/events/phone-call.md": """\
        ---
        title: Aliyev and Putin speak by phone
        date: 2020-08-12
        actors: [aliyev, putin]
        ---
        """,
    "content/events/snap-drills.md": """\
        ---
        title: Snap drills
        date: 2020-07-17
        end: 2020-07-20
        actors: [russia]
        ---
        """,
}

ARTICLES = {
    "content/articles/summer-of-strain.md": """\
        ---
        title: A summer of strain
        date: 2020-09-15
        summary: How Baku and Moscow drifted apart.
        authors: [Desk]
        actors: [azerbaijan, russia]
        events: [phone-call]
        tags: [Diplomacy, military cooperation]
        ---
        Ilham Aliyev called Putin after the [[event:tovuz-clashes]]. Aliyev said
        little; Baku said more. Hikmet Hajiyev spoke later.

        ## Hajiyev in a heading

        `Lavrov` in code and [Lavrov](https://example.org) in a link.
        See [[article:cargo-flights|the other piece]].
        """,
    "content/articles/cargo-flights.md": """\
        ---
        title: Cargo flights
        date: 2020-09-11
        tags: [diplomacy]
        ---
        Сергей Лавров spoke; [[lavrov|the minister]] later spoke again.
        """,
}

SMALL_BRIEF = {
    "briefgen.yaml": 'title: "Test brief"\n',
    "content/index.md": "---\ntitle: Lead\n---\nRead [[article:summer-of-strain]] first.\n",
    **ACTORS, **EVENTS, **ARTICLES,
}


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (path -> text, dedented, or bytes) below ``root``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


@pytest.fixture
def small_brief(tmp_path: Path) -> Path:
    return write_files(tmp_path / "brief", SMALL_BRIEF)
