"""Validate newsevents' built-in actor data files (standard library only).

    python scripts/check_actor_data.py [DATA_DIR]

Checks countries.tsv, metonyms.tsv, regions.tsv, organizations.tsv, agents.tsv and people.tsv:
the header and the number of cells of every row, required cells, the shape of every code
(country codes exist in countries.tsv, role codes are known three-letter CAMEO codes,
organization codes do not collide with country, region or role codes), dates, and duplicate
phrases within a file and across the phrase files (the loader would silently let the later
file win). Prints a summary; exits 1 if any error was found.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import sys
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "newsevents" / "data"

# CAMEO role / sector codes accepted in agents.tsv and after a country code.
ROLES = frozenset(
    {"GOV", "MIL", "COP", "JUD", "LEG", "OPP", "PTY", "REB", "INS", "SEP", "UAF", "SPY", "CVL"}
    | {"REF", "BUS", "MNC", "MED", "EDU", "HLH", "LAB", "REL", "AGR", "ENV", "ELI", "HRI", "DEV"}
    | {"NGO", "IGO", "MOD", "RAD", "CRM", "UIS", "SET"}
    | {"CHR", "MOS", "JEW", "HIN", "BUD"}  # CAMEO religion codes for believers as a group
)
# CAMEO region codes (usable as the first code in regions.tsv).
REGIONS = frozenset(
    {"AFR", "ASA", "BLK", "CRB", "CAU", "CFR", "CAS", "CEU", "EIN", "EAF", "EEU", "EUR", "LAM"}
    | {"MEA", "MDT", "NAF", "NMR", "PGS", "SCN", "SAM", "SAS", "SEA", "SAF", "WAF", "WST"}
)
THREE = re.compile(r"^[A-Z]{3}$")
CODE = re.compile(r"^(?:[A-Z]{3})+$")

# file -> (columns, required columns)
FILES = {
    "countries.tsv": (("code", "name", "aliases", "demonyms", "capitals"), ("code", "name")),
    "organizations.tsv": (("code", "kind", "name", "aliases"), ("code", "kind", "name")),
    "regions.tsv": (("phrase", "code", "rule"), ("phrase", "code", "rule")),
    "metonyms.tsv": (("phrase", "code"), ("phrase", "code")),
    "agents.tsv": (("phrase", "role"), ("phrase", "role")),
    "people.tsv": (("name", "code", "start", "end"), ("name", "code")),
}


class Checker:
    def __init__(self, data: Path) -> None:
        self.data = data
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.rows: dict[str, list[tuple[int, dict[str, str]]]] = {}
        self.phrases: dict[str, dict[str, str]] = defaultdict(dict)  # key -> file -> where

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    # --- reading ----------------------------------------------------------------------------

    def read(self, name: str) -> list[tuple[int, dict[str, str]]]:
        columns, required = FILES[name]
        path = self.data / name
        rows: list[tuple[int, dict[str, str]]] = []
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            self.error(name, f"cannot read: {exc}")
            return rows
        header = None
        for number, line in enumerate(lines, start=1):
            where = f"{name}:{number}"
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = [c.strip() for c in cells]
                if tuple(header) != columns:
                    self.error(where, f"header {header} should be {list(columns)}")
                    return rows
                continue
            if len(cells) > len(header):
                self.error(where, f"{len(cells)} cells, the header has {len(header)} columns")
                continue
            if any(c != c.strip() for c in cells):
                self.error(where, "a cell has leading or trailing spaces")
            cells = [c.strip() for c in cells] + [""] * (len(header) - len(cells))
            row = dict(zip(header, cells, strict=True))
            for column in required:
                if not row[column]:
                    self.error(where, f"column {column!r} is empty")
            for column, value in row.items():
                if "|" in value and any(not v.strip() for v in value.split("|")):
                    self.error(where, f"column {column!r} has an empty |-separated value")
            rows.append((number, row))
        if header is None:
            self.error(name, "no header line")
        self.rows[name] = rows
        return rows

    # --- phrases ----------------------------------------------------------------------------

    @staticmethod
    def key(phrase: str) -> str:
        words = phrase.lower().split()
        if len(words) > 1 and words[0] == "the":
            words = words[1:]
        return " ".join(words)

    def add_phrase(self, name: str, number: int, phrase: str, seen: dict[str, int]) -> None:
        where = f"{name}:{number}"
        key = self.key(phrase)
        if key in seen:
            self.error(where, f"duplicate phrase {phrase!r} (also line {seen[key]})")
            return
        seen[key] = number
        self.phrases[key][name] = where

    @staticmethod
    def values(cell: str) -> list[str]:
        return [v.strip() for v in cell.split("|") if v.strip()]

    # --- files ------------------------------------------------------------------------------

    def countries(self) -> set[str]:
        codes: dict[str, int] = {}
        seen: dict[str, int] = {}
        for number, row in self.read("countries.tsv"):
            where = f"countries.tsv:{number}"
            code = row["code"]
            if not THREE.match(code):
                self.error(where, f"country code {code!r} is not three upper-case letters")
            elif code in codes:
                self.error(where, f"country code {code} repeated (line {codes[code]})")
            elif code in ROLES or code in REGIONS:
                self.error(where, f"country code {code} collides with a role/region code")
            codes[code] = number
            if "|" in row["name"]:
                self.error(where, "name must be a single value")
            for column in ("name", "aliases", "demonyms", "capitals"):
                for phrase in self.values(row[column]):
                    self.add_phrase("countries.tsv", number, phrase, seen)
        return set(codes)

    def organizations(self, countries: set[str]) -> set[str]:
        codes: dict[str, int] = {}
        seen: dict[str, int] = {}
        for number, row in self.read("organizations.tsv"):
            where = f"organizations.tsv:{number}"
            code = row["code"]
            if not THREE.match(code):
                self.error(where, f"organization code {code!r} is not three upper-case letters")
            elif code in codes:
                self.error(where, f"organization code {code} repeated (line {codes[code]})")
            elif code in countries or code in ROLES or code in REGIONS:
                self.error(where, f"organization code {code} collides with a country/role/region")
            codes[code] = number
            if row["kind"] not in {"IGO", "NGO", "IMG"}:
                self.error(where, f"kind {row['kind']!r} must be IGO, NGO or IMG")
            for column in ("name", "aliases"):
                for phrase in self.values(row[column]):
                    self.add_phrase("organizations.tsv", number, phrase, seen)
        return set(codes)

    def actor_code(self, where: str, code: str, firsts: set[str]) -> None:
        """A country/organization/region code followed by zero or more role codes."""
        if not CODE.match(code):
            self.error(where, f"code {code!r} is not a sequence of three-letter codes")
            return
        parts = [code[i : i + 3] for i in range(0, len(code), 3)]
        if parts[0] not in firsts:
            self.error(where, f"code {code}: {parts[0]} is not a known country/organization code")
        for part in parts[1:]:
            if part not in ROLES:
                self.error(where, f"code {code}: {part} is not a known CAMEO role code")

    def phrase_file(self, name: str, firsts: set[str]) -> None:
        seen: dict[str, int] = {}
        for number, row in self.read(name):
            self.actor_code(f"{name}:{number}", row["code"], firsts)
            self.add_phrase(name, number, row["phrase"], seen)

    def agents(self) -> None:
        seen: dict[str, int] = {}
        for number, row in self.read("agents.tsv"):
            where = f"agents.tsv:{number}"
            if not THREE.match(row["role"]) or row["role"] not in ROLES:
                self.error(where, f"role {row['role']!r} is not a known three-letter role code")
            if row["phrase"] != row["phrase"].lower():
                self.error(where, f"phrase {row['phrase']!r} should be lower case")
            self.add_phrase("agents.tsv", number, row["phrase"], seen)

    def people(self, firsts: set[str]) -> None:
        seen: dict[tuple[str, str, str], int] = {}
        spans: dict[str, list[tuple[dt.date, dt.date, str, int]]] = defaultdict(list)
        for number, row in self.read("people.tsv"):
            where = f"people.tsv:{number}"
            self.actor_code(where, row["code"], firsts)
            dates = {}
            for column in ("start", "end"):
                value = row[column]
                dates[column] = None
                if value:
                    if not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
                        self.error(where, f"{column} {value!r} is not YYYY-MM-DD")
                        continue
                    try:
                        dates[column] = dt.date.fromisoformat(value)
                    except ValueError:
                        self.error(where, f"{column} {value!r} is not a valid date")
            start, end = dates["start"], dates["end"]
            if start and end and end < start:
                self.error(where, f"end {end} is before start {start}")
            key = (row["name"].lower(), row["code"], row["start"])
            if key in seen:
                self.error(where, f"duplicate row (also line {seen[key]})")
            seen[key] = number
            spans[row["name"].lower()].append(
                (start or dt.date.min, end or dt.date.max, row["code"], number)
            )
        for name, items in spans.items():
            items.sort()
            for (_s1, e1, c1, n1), (s2, _e2, c2, n2) in itertools.pairwise(items):
                if s2 < e1:
                    self.error(
                        f"people.tsv:{n2}",
                        f"{name!r} {c2} overlaps line {n1} ({c1}); a person holds one code a day",
                    )

    def cross_file(self) -> None:
        for key, files in self.phrases.items():
            if len(files) > 1:
                self.error(" / ".join(files.values()), f"phrase {key!r} is in several files")

    def run(self) -> int:
        countries = self.countries()
        organizations = self.organizations(countries)
        self.phrase_file("metonyms.tsv", countries | organizations)
        self.phrase_file("regions.tsv", countries | organizations | REGIONS)
        self.agents()
        self.people(countries | organizations)
        self.cross_file()
        self.summary(countries, organizations)
        return 1 if self.errors else 0

    def summary(self, countries: set[str], organizations: set[str]) -> None:
        print(f"actor data in {self.data}")
        for name in FILES:
            rows = self.rows.get(name, [])
            extra = ""
            if name == "countries.tsv":
                n = sum(
                    len(self.values(r[c]))
                    for _, r in rows
                    for c in ("name", "aliases", "demonyms", "capitals")
                )
                extra = f", {n} phrases"
            elif name == "organizations.tsv":
                kinds = defaultdict(int)
                for _, r in rows:
                    kinds[r["kind"]] += 1
                extra = ", " + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items()))
            elif name == "agents.tsv":
                roles = defaultdict(int)
                for _, r in rows:
                    roles[r["role"]] += 1
                extra = f", {len(roles)} roles"
            elif name == "people.tsv":
                extra = f", {len({r['name'].lower() for _, r in rows})} distinct names"
            print(f"  {name:18} {len(rows):4} rows{extra}")
        for message in self.warnings:
            print(f"warning: {message}")
        for message in self.errors:
            print(f"error: {message}")
        print("OK" if not self.errors else f"{len(self.errors)} error(s)")


def main(argv: list[str]) -> int:
    data = Path(argv[1]) if len(argv) > 1 else DATA
    return Checker(data).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
