"""A disk cache for the slow, pure steps of building a pipeline, so that every run after the first starts sooner.

Building the default pipeline reads the GeoNames, ISO 3166 and CLDR data packages and tokenizes
about 18,000 place names; before this cache that was about 1.5 of the 3 seconds a `claimex extract`
spent before its first article. The results of those steps depend only on their inputs, so each is
kept in a file named by a SHA-256 digest of everything it depends on: the package versions, the
arguments, and the source code of the module that computes it. A change to any of them gives
another file name, so a cached value is never stale, and the values read back are the values the
step computes (the tests compare both).

The folder is `$CLAIMEX_CACHE_DIR` when set, else `$XDG_CACHE_HOME/claimex`, else
`~/.cache/claimex`. Setting `CLAIMEX_CACHE_DIR` to an empty string turns the cache off. The cache
never makes a run fail: a missing, unreadable or corrupt file is recomputed, and a folder that
cannot be written is simply not used. Files are written whole (to a temporary name, then renamed),
so processes that build at the same time never read half a file. Of each kind of value, the
`KEEP_PER_KIND` files used last are kept and older ones removed, so the folder stays small.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import ModuleType
from typing import Any

import srsly

CACHE_ENV = "CLAIMEX_CACHE_DIR"
FORMAT = 1  # bumped when the layout of the cached files changes
DIGEST_CHARS = 32  # hex digits of the key's digest in a file name
KEEP_PER_KIND = 8  # files of one kind kept; older ones (code or packages since changed) are removed


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off (`CLAIMEX_CACHE_DIR=""`) or there is no home folder."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured).expanduser() if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if base:
        return Path(base) / "claimex"
    try:
        return Path.home() / ".cache" / "claimex"
    except RuntimeError:  # no home folder to be found: no cache
        return None


def package_versions(*names: str) -> dict[str, str]:
    """The installed versions of the named distributions ("" for one that is not installed)."""
    found = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = ""
    return found


def source_digest(module: ModuleType) -> str:
    """SHA-256 of a module's source file: a cached value computed by the module changes with its code."""
    path = getattr(module, "__file__", None)
    if not path:
        return ""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def cache_key(key: Mapping[str, Any]) -> str:
    """The digest naming a cached value: SHA-256 of the key as canonical JSON (sorted keys)."""
    payload = json.dumps({"format": FORMAT, **key}, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def cached(kind: str, key: Mapping[str, Any], compute: Callable[[], Any]) -> Any:
    """The value of `compute()`, read from the cache when it holds one for `key`, else computed and stored.

    `kind` names the step ("places", "tokens"); `key` must hold everything the value depends on, as
    JSON data. The value must be msgpack data (dicts, lists, strings, numbers, booleans, None), and
    comes back as such: tuples are read back as lists.
    """
    folder = cache_dir()
    if folder is None:
        return compute()
    path = folder / f"{kind}-{cache_key(key)[:DIGEST_CHARS]}.msgpack"
    try:
        value = srsly.read_msgpack(path)
    except (OSError, ValueError):  # absent, unreadable or corrupt (msgpack's errors are ValueErrors): computed again
        pass
    else:
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept when older files of its kind are removed
        return value
    value = compute()
    _write(path, value)
    _remove_old(folder, kind)
    return value


def _remove_old(folder: Path, kind: str) -> None:
    """Keep the `KEEP_PER_KIND` most recently used files of a kind: each change of code or packages
    leaves a file nothing will ask for again, and without this the folder would only grow."""
    try:
        pattern = f"{kind}-{'?' * DIGEST_CHARS}.msgpack"  # not the files of a kind named "{kind}-..."
        files = sorted(folder.glob(pattern), key=lambda path: path.stat().st_mtime, reverse=True)
        for old in files[KEEP_PER_KIND:]:
            old.unlink()
    except OSError:  # another process removed or replaced a file meanwhile: left for the next write
        pass


def _write(path: Path, value: Any) -> None:
    """Store a value whole (temporary file, then an atomic rename); a folder that cannot be written is skipped."""
    temporary: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
        temporary = Path(name)
        with os.fdopen(handle, "wb") as file:
            file.write(srsly.msgpack_dumps(value))
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
