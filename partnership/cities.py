"""Where the partner schools' cities lie, for the distances the learning-community
composer weighs. A small lookup, not a model: the network's schools are in
Brussels and the Flemish towns around it, the list changes rarely, and no
geocoding service may be called. Coordinates are the town centres (WGS 84, to
about a kilometre), Dutch names with their French or common variants. A city not
listed has no distance: the composer then leaves distance out of its reasons."""

import math
import unicodedata

#: (latitude, longitude) by lower-case name without accents.
COORDINATES: dict[str, tuple[float, float]] = {
    # The 19 municipalities of the Brussels-Capital Region (and their districts).
    "anderlecht": (50.8365, 4.3082),
    "brussel": (50.8467, 4.3525),
    "bruxelles": (50.8467, 4.3525),
    "brussels": (50.8467, 4.3525),
    "laken": (50.8790, 4.3530),
    "neder-over-heembeek": (50.8990, 4.3900),
    "haren": (50.8900, 4.4190),
    "elsene": (50.8270, 4.3720),
    "ixelles": (50.8270, 4.3720),
    "etterbeek": (50.8360, 4.3890),
    "evere": (50.8700, 4.4020),
    "ganshoren": (50.8710, 4.3120),
    "jette": (50.8770, 4.3270),
    "koekelberg": (50.8620, 4.3290),
    "molenbeek": (50.8550, 4.3230),
    "sint-jans-molenbeek": (50.8550, 4.3230),
    "oudergem": (50.8130, 4.4370),
    "schaarbeek": (50.8670, 4.3730),
    "sint-agatha-berchem": (50.8650, 4.2950),
    "sint-gillis": (50.8270, 4.3450),
    "sint-joost-ten-node": (50.8530, 4.3700),
    "sint-lambrechts-woluwe": (50.8430, 4.4260),
    "sint-pieters-woluwe": (50.8300, 4.4400),
    "ukkel": (50.8010, 4.3380),
    "vorst": (50.8100, 4.3190),
    "watermaal-bosvoorde": (50.7990, 4.4150),
    # Flemish Brabant around Brussels.
    "asse": (50.9100, 4.1990),
    "dilbeek": (50.8480, 4.2600),
    "grimbergen": (50.9340, 4.3720),
    "halle": (50.7340, 4.2370),
    "machelen": (50.9100, 4.4430),
    "sint-pieters-leeuw": (50.7800, 4.2440),
    "ternat": (50.8670, 4.1750),
    "vilvoorde": (50.9280, 4.4250),
    "zaventem": (50.8840, 4.4700),
    "wemmel": (50.9080, 4.3050),
    "drogenbos": (50.7870, 4.3170),
    "kraainem": (50.8610, 4.4690),
    "tervuren": (50.8240, 4.5140),
    "overijse": (50.7740, 4.5350),
    "beersel": (50.7660, 4.3000),
    "leuven": (50.8798, 4.7005),
    # Larger Flemish cities.
    "aalst": (50.9360, 4.0400),
    "mechelen": (51.0259, 4.4776),
    "antwerpen": (51.2194, 4.4025),
    "gent": (51.0543, 3.7174),
    "brugge": (51.2093, 3.2247),
    "hasselt": (50.9307, 5.3325),
    "kortrijk": (50.8280, 3.2650),
    "ninove": (50.8280, 4.0260),
}


def _key(city: str) -> str:
    without_accents = unicodedata.normalize("NFKD", city).encode("ascii", "ignore").decode()
    return "-".join(without_accents.lower().replace("-", " ").split())


def coordinates(city: str) -> tuple[float, float] | None:
    return COORDINATES.get(_key(city))


def distance_km(city_a: str, city_b: str) -> float | None:
    """The distance as the crow flies between two cities (None: one is unknown)."""
    a, b = coordinates(city_a), coordinates(city_b)
    if a is None or b is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))
