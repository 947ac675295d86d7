"""Throughput and memory of ``ulinzi extract --jsonl`` on short reports (issue #5: goal ≥ 50
documents/s on one core, peak memory ≤ 500 MB).

The reports are generated from templates written for this benchmark (a clash, an abduction, an
arrival of a contingent, a cumulative toll, a denial), filled with Haiti's real communes from the
COD-AB gazetteer and the packaged actor names, so every sentence exercises names, dates and
figures. The command runs as a user runs it, in a child process with places from the gazetteer
file; the figures printed are documents per second over the whole run (start-up included) and
after start-up, records out, and the child's peak resident memory.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

TEMPLATES = (
    "PORT-AU-PRINCE, {month} {day} – Armed men from {gang} attacked residents of {commune} on {weekday}, killing "
    "{n} people and wounding {m} others, the police said. Witnesses said the gunmen set fire to {k} houses.",
    "{count} {demonym} police officers arrived in Haiti on {month} {day} to join the Multinational Security "
    "Support Mission, bringing the mission's strength to about {total} personnel.",
    "Since {since_month} {since_year}, violence led by {gang} has killed more than {big} people in {commune}, "
    "according to the United Nations. Another {m} people were kidnapped in the same period.",
    "Police denied reports that {gang} had taken control of {commune}. No one was killed, a spokesperson said, "
    "and officers could deploy to the area if the situation worsens.",
    "Clashes between the PNH and {gang} in {commune} on {month} {day} left {n} dead, including a police officer. "
    "About {big} residents fled their homes.",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
DEMONYMS = ("Kenyan", "Jamaican", "Salvadoran", "Guatemalan", "Bahamian", "Belizean", "Chadian")
GANGS = ("Viv Ansanm", "G9", "G-Pèp", "400 Mawozo", "Gran Grif", "5 Segonn", "Kraze Baryè")


def reports(count: int, communes: list[str], seed: int = 7) -> list[dict[str, object]]:
    pick = random.Random(seed)
    out = []
    for number in range(count):
        published = date(2024, 1, 1) + timedelta(days=pick.randrange(700))
        day = published - timedelta(days=pick.randrange(1, 6))
        text = pick.choice(TEMPLATES).format(
            month=day.strftime("%B"),
            day=day.day,
            weekday=pick.choice(WEEKDAYS),
            gang=pick.choice(GANGS),
            commune=pick.choice(communes),
            n=pick.randrange(2, 30),
            m=pick.randrange(2, 20),
            k=pick.randrange(2, 40),
            count=pick.choice((100, 150, 200, 300, 400)),
            demonym=pick.choice(DEMONYMS),
            total=pick.randrange(400, 1000),
            since_month=pick.choice(("January", "February", "March")),
            since_year=published.year - 1,
            big=f"{pick.randrange(1, 9)},{pick.randrange(100, 999)}",
        )
        out.append({"id": f"bench-{number}", "text": text, "published": published.isoformat(), "lang": "en"})
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    options = parser.parse_args()
    gazetteer = options.data / "haiti" / "gazetteer" / "hti_admin_gazetteer_codab.csv"
    with gazetteer.open(encoding="utf-8") as handle:
        communes = [row["name_fr"] for row in csv.DictReader(handle) if row["level"] == "2"]
    ulinzi = Path(sys.executable).with_name("ulinzi")
    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(folder) / "reports.jsonl"
        inputs.write_text("".join(json.dumps(r) + "\n" for r in reports(options.documents, communes)))
        empty = Path(folder) / "none.jsonl"
        empty.write_text("")
        command = [str(ulinzi), "extract", "--boundaries", str(gazetteer), "--jsonl"]
        began = time.perf_counter()
        subprocess.run([*command, str(empty)], check=True, capture_output=True)  # noqa: S603  our own command
        start_up = time.perf_counter() - began
        began = time.perf_counter()
        done = subprocess.run([*command, str(inputs)], check=True, capture_output=True, text=True)  # noqa: S603
        elapsed = time.perf_counter() - began
    records = [json.loads(line) for line in done.stdout.splitlines()]
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    kinds = {kind: sum(1 for r in records if r["kind"] == kind) for kind in ("event", "deployment", "claim")}
    print(f"documents:            {options.documents}")
    print(f"records out:          {len(records)} ({', '.join(f'{k} {v}' for k, v in kinds.items())})")
    print(f"whole run:            {elapsed:.2f} s, {options.documents / elapsed:.0f} documents/s (goal >= 50)")
    print(f"start-up (no input):  {start_up:.2f} s")
    print(f"after start-up:       {options.documents / max(elapsed - start_up, 1e-9):.0f} documents/s")
    print(f"peak memory (child):  {peak_mb:.0f} MB (goal <= 500)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
