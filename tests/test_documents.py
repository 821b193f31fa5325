from __future__ import annotations

import textwrap

from briefgen.dates import EventDate, FuzzyDate
from briefgen.documents import Actor, Article, Event, Ref, parse_document, parse_documents_cached
from briefgen.sources import SourceFile


def parse(path: str, text: str):  # type: ignore[no-untyped-def]
    kind = {"articles": "article", "actors": "actor", "events": "event", "sources": "source"}[path.split("/")[1]]
    return parse_document(SourceFile(path, kind, textwrap.dedent(text)))  # type: ignore[arg-type]


def messages(problems) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.format() for p in problems]


def test_article_with_every_key() -> None:
    doc, problems = parse("content/articles/a.md", """\
        ---
        title: Title
        date: 2020-09-15
        summary: Short.
        authors: [A, B]
        source: {publication: Caucasus Watch, url: "https://caucasuswatch.de/", published: 2020-09-15}
        actors: [aliyev]
        events: [tovuz]
        tags: [energy]
        draft: false
        ---
        Body
        """)
    assert problems == []
    assert isinstance(doc, Article)
    assert doc.id == "a" and doc.date == FuzzyDate(2020, 9, 15)
    assert doc.source is not None and doc.source.publication == "Caucasus Watch"
    assert doc.actors == (Ref("aliyev", 7),)
    assert doc.body_line == 12


def test_event_roles_and_partial_dates() -> None:
    doc, problems = parse("content/events/e.md", """\
        ---
        title: Drills
        date: "2020-07"
        end: 2020-08-02
        actors: [armenia, {id: russia, role: supplier}]
        sources: [some-article, "https://example.org/report"]
        ---
        """)
    assert problems == []
    assert isinstance(doc, Event)
    assert doc.date == EventDate(FuzzyDate(2020, 7), FuzzyDate(2020, 8, 2), interval=True)
    assert [(r.target, r.role) for r in doc.actors] == [("armenia", ""), ("russia", "supplier")]
    assert [r.target for r in doc.sources] == ["some-article"]
    assert doc.source_urls == ("https://example.org/report",)


def test_missing_required_keys() -> None:
    doc, problems = parse("content/actors/x.md", "---\nrole: Minister\n---\n")
    assert doc is None
    assert messages(problems) == [
        "content/actors/x.md:1: error: missing required key 'name'",
        "content/actors/x.md:1: error: missing required key 'kind'",
    ]


def test_missing_front_matter_hints_at_the_fence() -> None:
    _, problems = parse("content/actors/x.md", "name: Foo\n")
    assert "did you forget the '---' block" in problems[0].hint


def test_unknown_kind_lists_the_kinds() -> None:
    _, problems = parse("content/actors/x.md", "---\nname: X\nkind: persn\n---\n")
    assert messages(problems) == [
        "content/actors/x.md:3: error: unknown kind 'persn'\n"
        "  hint: did you mean 'person'? kinds: state, person, organization, military, media, other"
    ]


def test_unknown_key_is_a_warning_with_suggestion() -> None:
    doc, problems = parse("content/actors/x.md", "---\nname: X\nkind: state\nalises: [Y]\n---\n")
    assert isinstance(doc, Actor)
    assert problems[0].severity == "warning"
    assert problems[0].format() == (
        "content/actors/x.md:4: warning: unknown key 'alises'\n"
        "  hint: did you mean 'aliases'? known keys: name, kind, aliases, affiliation, role, draft, link, not, "
        "redirect_from")


def test_wrong_types() -> None:
    _, problems = parse("content/articles/a.md", """\
        ---
        title: [not, text]
        date: 2020-09-15
        tags: energy
        draft: "yes"
        ---
        """)
    assert messages(problems) == [
        "content/articles/a.md:2: error: 'title' must be text, not a list",
        "content/articles/a.md:4: error: 'tags' must be a list, not text\n"
        "  hint: write tags: [energy] or one '- item' per line",
        "content/articles/a.md:5: error: 'draft' must be true or false, not text",
    ]


def test_bad_dates_name_the_accepted_forms() -> None:
    _, problems = parse("content/events/e.md", "---\ntitle: X\ndate: 12 August 2020\n---\n")
    assert messages(problems) == [
        "content/events/e.md:3: error: 'date': '12 August 2020' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)\n"
        "  hint: write YYYY-MM-DD, YYYY-MM or YYYY; 2020-08~ is about August 2020, 2020-08-25? perhaps the 25th, "
        "2020-08-25/2020-08-29 an interval, 2020-03/.. since March 2020"]


def test_article_date_must_be_a_day() -> None:
    _, problems = parse("content/articles/a.md", "---\ntitle: X\ndate: '2020-09'\n---\n")
    assert problems[0].message == "'date' must be a full date (YYYY-MM-DD), not '2020-09'"


def test_event_that_ends_before_it_starts() -> None:
    _, problems = parse("content/events/e.md", "---\ntitle: X\ndate: 2020-08-25\nend: 2020-08-20\n---\n")
    assert messages(problems) == ["content/events/e.md:4: error: event ends (2020-08-20) before it starts (2020-08-25)"]


EVENT = "---\ntitle: X\n{}---\n"


def test_event_dates_in_edtf_with_after_and_before() -> None:
    doc, problems = parse("content/events/e.md", EVENT.format(
        "date: 2020-09~\nafter: [ng-report]\nbefore:\n  - summit\n  - talks\n"))
    assert problems == [] and isinstance(doc, Event)
    assert doc.date == EventDate(FuzzyDate(2020, 9, 0, "~"))
    assert doc.after == (Ref("ng-report", 4),) and doc.before == (Ref("summit", 6), Ref("talks", 7))


def test_end_ongoing_is_an_open_end() -> None:
    for end in ("ongoing", "..", "'..'"):
        doc, problems = parse("content/events/e.md", EVENT.format(f"date: 2020-03\nend: {end}\n"))
        assert problems == [] and isinstance(doc, Event) and doc.date.edtf == "2020-03/.."


def test_date_problems_are_reported_at_their_keys() -> None:
    cases = {
        "date: 2020-08-25/2020-08-29\nend: 2020-08-30\n":
            "content/events/e.md:4: error: 'end' cannot be given with an interval in 'date'\n"
            "  hint: give the end once: 'date: 2020-08-25/2020-08-29' alone, or a single date in 'date' and its 'end'",
        "date: 2020-08-25/2020-08-20\n": "content/events/e.md:3: error: event ends (2020-08-20) before it starts (2020-08-25)",
        "date: 2020-08-25\nend: 2020-08-25/2020-08-29\n":
            "content/events/e.md:4: error: 'end': '2020-08-25/2020-08-29' is an interval; 'end' takes one date\n"
            "  hint: write the interval in 'date' alone, or the last date in 'end'",
        "date: 2020-08-25..2020-08-29\n":
            "content/events/e.md:3: error: 'date': '2020-08-25..2020-08-29' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)\n"
            "  hint: write an interval with '/': 2020-08-25/2020-08-29",
        "date: 2020-08\ncirca: true\n":
            "content/events/e.md:4: warning: unknown key 'circa'\n"
            "  hint: mark an approximate date with '~' after it: date: 2020-08~ reads 'c. August 2020'",
    }
    for front, expected in cases.items():
        _, problems = parse("content/events/e.md", EVENT.format(front))
        assert messages(problems) == [expected], front


def test_article_date_is_a_day_without_qualifier() -> None:
    _, problems = parse("content/articles/a.md", "---\ntitle: X\ndate: 2020-09-15~\n---\n")
    assert messages(problems) == [
        "content/articles/a.md:3: error: 'date' must be a full date (YYYY-MM-DD), not '2020-09-15~'\n"
        "  hint: the day it was published is known: leave out the '~'"]


def test_month_end_within_its_start_month_is_fine() -> None:
    doc, problems = parse("content/events/e.md", "---\ntitle: X\ndate: 2020-08-25\nend: '2020-08'\n---\n")
    assert problems == [] and isinstance(doc, Event)


def test_file_name_that_is_not_an_id() -> None:
    _, problems = parse("content/actors/Ilham Əliyev.md", "---\nname: X\nkind: person\n---\n")
    assert messages(problems) == [
        "content/actors/Ilham Əliyev.md: error: file name 'Ilham Əliyev.md' is not a valid id\n"
        "  hint: ids are lowercase ascii letters, digits and '-'; rename it to 'ilham-aliyev.md'"]


# ---------------------------------------------------------------- the document cache

def _files(texts: dict[str, str]) -> list[SourceFile]:
    kinds = {"articles": "article", "actors": "actor", "events": "event", "sources": "source"}
    return [SourceFile(path, kinds[path.split("/")[1]], text) for path, text in texts.items()]  # type: ignore[arg-type]


CACHED_BRIEF = {
    "content/actors/aliyev.md": "---\nname: Ilham Aliyev\nkind: person\n---\n",
    "content/articles/a.md": "---\ntitle: A\ndate: 2020-09-15\n---\nBody\n",
    "content/articles/draft.md": "---\ntitle: D\ndate: 2020-09-15\ndraft: true\n---\n",
    "content/events/e.md": "---\ntitle: E\ndate: 2020-07\nalias: typo\n---\n",
}


def test_unchanged_files_come_from_the_cache_and_changed_ones_are_parsed(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import briefgen.documents as documents_module

    first, problems, cache, _ = parse_documents_cached(_files(CACHED_BRIEF))
    assert [p.message for p in problems] == ["unknown key 'alias'"]
    restored = cache
    assert len(restored.documents) == 2, "neither the draft left out nor the file with a warning is cached"

    parsed: list[str] = []
    real = documents_module.parse_document

    def counting(src: SourceFile):  # type: ignore[no-untyped-def]
        parsed.append(src.src_path)
        return real(src)
    monkeypatch.setattr(documents_module, "parse_document", counting)
    changed = {**CACHED_BRIEF, "content/articles/a.md": CACHED_BRIEF["content/articles/a.md"].replace("A", "A2")}
    second, problems, _, _ = parse_documents_cached(_files(changed), cache=restored)
    assert sorted(parsed) == ["content/articles/a.md", "content/articles/draft.md", "content/events/e.md"]
    assert [p.message for p in problems] == ["unknown key 'alias'"], "warnings are reported again"
    assert [getattr(d, "title", "") for d in second] == ["", "A2", "E"]
    assert second[0] == first[0]
