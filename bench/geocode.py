"""Geocode place strings with typical misspellings: throughput and top-1 accuracy; see bench/README.md."""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
import unicodedata
from pathlib import Path

from ulinzi.geo.geocoding import Entry, Gazetteer

LANGUAGES = ("fr", "en", "ht")


def load(gazetteer_csv: Path) -> tuple[Gazetteer, list[tuple[str, str]]]:
    """The admin gazetteer as entries, and (name, P-code) pairs to misspell."""
    entries, names = [], []
    with gazetteer_csv.open(newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            chain = tuple(dict.fromkeys(c for c in (row["pcode"], row["adm2_pcode"], row["adm1_pcode"]) if c))
            for language in LANGUAGES:
                name = row[f"name_{language}"]
                if name:
                    lon, lat = float(row["label_lon"]), float(row["label_lat"])
                    entries.append(Entry(number, name, language, row["name_fr"], "admin", chain, lon, lat, 3))
            if row["level"] == "2":  # communes: the names reports use
                names.append((row["name_fr"], row["pcode"]))
    return Gazetteer(entries), names


def misspell(name: str, rng: random.Random) -> str:
    """One of the mistakes seen in reports: accents dropped, hyphens as spaces, a letter lost or
    doubled, or two neighbouring letters swapped as well as one lost (the hardest)."""
    choice = rng.randrange(6)
    if choice == 5 and len(name) > 4:
        swap = rng.randrange(len(name) - 1)
        swapped = name[:swap] + name[swap + 1] + name[swap] + name[swap + 2 :]
        drop = rng.randrange(len(swapped))
        return swapped[:drop] + swapped[drop + 1 :]
    if choice == 0:
        return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    if choice == 1:
        return name.replace("-", " ").upper()
    position = rng.randrange(1, max(2, len(name) - 1))
    if choice == 2:
        return name[:position] + name[position + 1 :]
    if choice == 3:
        return name[:position] + name[position] + name[position:]
    return name.replace("-", "").lower()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    options = parser.parse_args()
    gazetteer, names = load(options.data / "haiti" / "gazetteer" / "hti_admin_gazetteer_codab.csv")
    rng = random.Random(5)
    queries = [(misspell(name, rng), pcode) for name, pcode in (rng.choice(names) for _ in range(options.queries))]
    began = time.perf_counter()
    results = [gazetteer.geocode(query, limit=5) for query, _ in queries]
    elapsed = time.perf_counter() - began
    hits = sum(
        1
        for result, (_, pcode) in zip(results, queries, strict=True)
        if result.candidates and result.candidates[0].entry.admin_chain[0] == pcode
    )
    found = sum(1 for result in results if result.candidates)
    print(f"{options.queries:,} misspelt commune names against {len(gazetteer):,} names")
    each = elapsed * 1000 / options.queries
    print(f"throughput        {options.queries / elapsed:10,.0f} queries/s ({each:.2f} ms each)")
    print(f"top-1 accuracy    {hits / options.queries:10.1%}")
    print(f"no candidate      {1 - found / options.queries:10.1%}")
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(5, 12))) for _ in range(1000)]
    spurious = sum(1 for word in words if gazetteer.geocode(word, limit=1).candidates)
    print(f"random words matched {spurious / len(words):7.1%} (1,000 strings that are no place)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
