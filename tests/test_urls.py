from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from slugify import slugify as _slugify

from briefgen import urls
from briefgen.urls import is_valid_id, relative_root, slugify


@pytest.mark.parametrize(("text", "slug"), [
    ("Ilham Əliyev", "ilham-aliyev"),
    ("Hikmət Hacıyev", "hikmat-haciyev"),
    ("Сергей Лавров", "sergei-lavrov"),
    ("Gəncə", "ganca"),
    ("İsmayıllı", "ismayilli"),
    ("Şuşa", "susa"),
    ("military cooperation", "military-cooperation"),
    ("Azerbaijan's army", "azerbaijans-army"),
])
def test_slugs_stay_readable(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize(("text", "valid"), [
    ("aliyev", True), ("tovuz-clashes-2020", True), ("Aliyev", False), ("a--b", False),
    ("-a", False), ("con", False), ("a_b", False), ("ə", False), ("", False),
])
def test_valid_ids(text: str, valid: bool) -> None:
    assert is_valid_id(text) is valid


def test_relative_root() -> None:
    assert relative_root("index.html") == ""
    assert relative_root("actors/aliyev/index.html") == "../../"


def test_the_transliteration_does_not_depend_on_what_else_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """python-slugify prefers Unidecode when it is installed; briefgen always asks for text-unidecode."""
    seen: list[object] = []

    def spy(text: str, **options: object) -> str:
        seen.append(options.get("backend"))
        return "x"

    monkeypatch.setattr(urls, "_slugify", spy)
    urls.slugify.cache_clear()
    try:
        urls.slugify("Сергей Лавров")
    finally:
        urls.slugify.cache_clear()
    assert seen == ["text-unidecode"]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ09 -_'\".!?()[]:;/\\\t\n&,#x;é"), max_size=30))
def test_the_ascii_shortcut_slugs_as_python_slugify_does(text: str) -> None:
    expected = _slugify(text, replacements=urls.TRANSLITERATIONS, backend="text-unidecode")
    urls.slugify.cache_clear()
    assert urls.slugify(text) == expected
