"""The print edition and the preview cards' data, read from a built small brief."""

from __future__ import annotations

import json
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from briefgen.build import BuildOptions, build
from helpers import SMALL_BRIEF, write_files


class Ids(HTMLParser):
    """Every id and every href of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids[value] += 1
            if name == "href" and value and tag == "a":
                self.hrefs.append(value)


def built(tmp_path: Path, extra: dict[str, str | bytes] | None = None) -> Path:
    brief = write_files(tmp_path / "brief", {**SMALL_BRIEF, **(extra or {})})
    build(BuildOptions(source=brief, output=tmp_path / "site", jobs=1))
    return tmp_path / "site"


NOTED = {  # two articles with the same notes and headings: their ids would clash on one page
    f"content/articles/noted-{n}.md": f"---\ntitle: Noted {n}\ndate: 2020-10-0{n}\n---\n"
                                      f"Aliyev spoke.[^a] Again.[^a]\n\n## Context\n\nText.\n\n[^a]: A note.\n"
    for n in (1, 2)
}


def test_the_print_edition_has_every_article_once_and_unique_ids(tmp_path: Path) -> None:
    site = built(tmp_path, NOTED)
    page = Ids()
    page.feed((site / "print/index.html").read_text("utf-8"))
    assert [i for i, n in page.ids.items() if n > 1] == []
    for n in (1, 2):
        assert {f"article-noted-{n}", f"noted-{n}-fn1", f"noted-{n}-fnref1", f"noted-{n}-fnref1-2",
                f"noted-{n}-context", f"noted-{n}-notes-heading"} <= page.ids.keys()
    local = [h for h in page.hrefs if not h.startswith(("http:", "https:", "#"))]
    assert local and all((site / "print" / h.split("#")[0]).resolve().is_file() for h in local), local
    fragments = [h[1:] for h in page.hrefs if h.startswith("#")]
    assert fragments and all(f in page.ids for f in fragments)
    # the article's own page keeps its plain ids
    own = Ids()
    own.feed((site / "articles/noted-1/index.html").read_text("utf-8"))
    assert {"fn1", "fnref1", "fnref1-2", "context", "notes-heading"} <= own.ids.keys()


def test_preview_data_says_name_kind_role_or_date_and_a_sentence(tmp_path: Path) -> None:
    site = built(tmp_path)
    text = (site / "previews.js").read_text("utf-8")
    assert text.startswith("/* briefgen: what the preview cards say */\nwindow.briefgenPreviews = ")
    cards = json.loads(text.split(" = ", 1)[1].removesuffix(";\n"))
    assert cards["actors/aliyev/"] == {"t": "Ilham Aliyev", "k": "Person", "d": "President of Azerbaijan",
                                       "s": "Leads Azerbaijan; spoke with Putin in August.", "c": "person"}
    assert cards["events/tovuz-clashes/"]["d"] == "July 2020, Tovuz"
    assert cards["articles/summer-of-strain/"]["s"] == "How Baku and Moscow drifted apart."  # its summary
    assert len(cards) == 6 + 3 + 2
