"""The build cache returns what the step computes, recomputes when it cannot trust a file, and never fails a run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from claimex import build_cache, gazetteers
from claimex.normalize import currency


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(build_cache.CACHE_ENV, str(folder))
    return folder


class Counter:
    """A step that counts how often it was computed."""

    def __init__(self, value: object) -> None:
        self.value = value
        self.calls = 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def test_a_value_is_computed_once_then_read_back(cache_folder: Path) -> None:
    step = Counter({"names": ["Rabat", "Islamabad"], "count": 2})
    first = build_cache.cached("demo", {"a": 1}, step)
    second = build_cache.cached("demo", {"a": 1}, step)
    assert first == second == {"names": ["Rabat", "Islamabad"], "count": 2}
    assert step.calls == 1
    assert len(list(cache_folder.glob("demo-*.msgpack"))) == 1


def test_another_key_is_another_value(cache_folder: Path) -> None:
    build_cache.cached("demo", {"a": 1}, Counter([1]))
    assert build_cache.cached("demo", {"a": 2}, Counter([2])) == [2]
    assert build_cache.cached("demo", {"a": 1}, Counter([3])) == [1]


def test_only_the_files_used_last_are_kept(cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def path_of(version: int) -> Path:
        return cache_folder / f"demo-{build_cache.cache_key({'version': version})[:32]}.msgpack"

    for version in range(5):
        build_cache.cached("demo", {"version": version}, Counter([version]))
        os.utime(path_of(version), (1_000 + version, 1_000 + version))  # used in this order, long ago
    build_cache.cached("other", {"version": 0}, Counter([0]))
    monkeypatch.setattr(build_cache, "KEEP_PER_KIND", 3)
    assert build_cache.cached("demo", {"version": 0}, Counter([None])) == [0]  # read: now the most recently used
    build_cache.cached("demo", {"version": 9}, Counter([9]))  # written: only the three used last stay
    assert set(cache_folder.glob("demo-*.msgpack")) == {path_of(0), path_of(4), path_of(9)}
    assert len(list(cache_folder.glob("other-*.msgpack"))) == 1


def test_a_kind_whose_name_starts_like_another_keeps_its_own_files(cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_cache, "KEEP_PER_KIND", 1)
    build_cache.cached("demo-extra", {"a": 1}, Counter([1]))
    for version in range(3):  # each write of "demo" removes older "demo" files, and only those
        build_cache.cached("demo", {"version": version}, Counter([version]))
    assert len(list(cache_folder.glob("demo-*.msgpack"))) == 2
    step = Counter([None])
    assert build_cache.cached("demo-extra", {"a": 1}, step) == [1]
    assert step.calls == 0


def test_a_corrupt_file_is_recomputed_and_replaced(cache_folder: Path) -> None:
    build_cache.cached("demo", {"a": 1}, Counter([1]))
    (path,) = cache_folder.glob("demo-*.msgpack")
    path.write_bytes(b"\xc1 not msgpack")
    step = Counter([1])
    assert build_cache.cached("demo", {"a": 1}, step) == [1]
    assert step.calls == 1
    assert build_cache.cached("demo", {"a": 1}, Counter([9])) == [1]


def test_an_unwritable_folder_only_costs_the_computation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(build_cache.CACHE_ENV, str(blocker / "cache"))
    step = Counter([1, 2])
    assert build_cache.cached("demo", {"a": 1}, step) == [1, 2]
    assert build_cache.cached("demo", {"a": 1}, step) == [1, 2]
    assert step.calls == 2
    assert list(tmp_path.glob("**/*.tmp")) == []


def test_an_empty_setting_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(build_cache.CACHE_ENV, "")
    monkeypatch.chdir(tmp_path)
    assert build_cache.cache_dir() is None
    step = Counter([1])
    build_cache.cached("demo", {"a": 1}, step)
    build_cache.cached("demo", {"a": 1}, step)
    assert step.calls == 2
    assert list(tmp_path.iterdir()) == []


def test_the_default_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(build_cache.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert build_cache.cache_dir() == tmp_path / "claimex"


def test_no_home_folder_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(build_cache.CACHE_ENV, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert build_cache.cache_dir() is None
    assert build_cache.cached("demo", {"a": 1}, Counter([1])) == [1]


def test_the_key_covers_the_code_of_the_step() -> None:
    assert build_cache.source_digest(gazetteers) != build_cache.source_digest(currency)
    assert build_cache.cache_key({"code": "a"}) != build_cache.cache_key({"code": "b"})


def test_cached_places_are_the_data_packages_places(cache_folder: Path) -> None:
    gazetteers._cached_places.cache_clear()
    try:
        written = gazetteers.places(500_000)  # computed and stored
        gazetteers._cached_places.cache_clear()
        read_back = gazetteers.places(500_000)  # read from the file
    finally:
        gazetteers._cached_places.cache_clear()
    assert list(cache_folder.glob("places-*.msgpack"))
    assert written == read_back == gazetteers.read_places(500_000)


def test_cached_currency_symbols_are_cldrs(cache_folder: Path) -> None:
    codes = frozenset(currency.iso_currency_codes())
    currency.cldr_symbols.cache_clear()
    try:
        written = currency.cldr_symbols(("en_GB", "en_IN"), codes)
        currency.cldr_symbols.cache_clear()
        read_back = currency.cldr_symbols(("en_GB", "en_IN"), codes)
    finally:
        currency.cldr_symbols.cache_clear()
    expected = {symbol: frozenset(found) for symbol, found in currency.read_cldr_symbols(("en_GB", "en_IN"), codes).items()}
    assert written == read_back == expected
    assert list(read_back) == list(expected)
    assert read_back["£"] == {"GBP"} and "INR" in read_back["₹"]
