#!/usr/bin/env python3
"""Build newsevents/data/cameo_codes.tsv from public CAMEO reference tables.

Reads (from the peer-data folder, default ../shared/peer-data next to the repository):

* GDELT's lookups ``CAMEO.eventcodes.txt`` and ``CAMEO.goldsteinscale.txt`` (311 codes);
* the CAMEO 1.1b3 code list ``cameo.csv`` (316 codes);
* PLOVER's ``CAMEO2PLOVER-2021.txt`` (CAMEO -> PLOVER category and mode);
* optionally ``_derived/cameo_codes_goldstein_quad_plover.tsv``, for the Phoenix Goldstein
  values and as a check on this script's own parsing.

It cross-checks the sources, prints every disagreement and the value chosen, and writes the
table. Stdlib only; the output depends only on the inputs (sorted, no timestamps).

Usage: python scripts/build_codebook.py [--peer-data DIR] [--out FILE] [--check]
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PEER_DATA = REPO.parent / "shared" / "peer-data"
DEFAULT_OUT = REPO / "newsevents" / "data" / "cameo_codes.tsv"

GDELT_NAMES = "UNDP-BCPR-Project/CAMEO.eventcodes.txt"
GDELT_GOLDSTEIN = "UNDP-BCPR-Project/CAMEO.goldsteinscale.txt"
CAMEO_CSV = "CAMEO-Event-Data-Codebook/cameo.csv"
PLOVER_MAP = "PLOVER/CAMEO2PLOVER-2021.txt"
DERIVED = "_derived/cameo_codes_goldstein_quad_plover.tsv"

COLUMNS = (
    "code",
    "name",
    "goldstein",
    "quad_class",
    "penta_class",
    "plover_event",
    "plover_mode",
)

HEADER_COMMENT = """\
# CAMEO event codes: one row per code. Built by scripts/build_codebook.py; see docs/codebook.md.
# code: 2-4 digit CAMEO code, a string (leading zeros kept); its first two digits are the root.
# name: CAMEO 1.1b3 manual wording (Gerner, Schrodt et al.).
# goldstein: Goldstein scale value, -10..10, as in GDELT's CAMEO.goldsteinscale.txt;
#   codes GDELT lacks take their parent code's value.
# quad_class: GDELT QuadClass, 1 verbal coop (01-05), 2 material coop (06-09),
#   3 verbal conflict (10-14), 4 material conflict (15-20).
# penta_class: 0 (01-02), 1 (03-05), 2 (06-09), 3 (10-14), 4 (15-20).
# plover_event, plover_mode: PLOVER category and mode from CAMEO2PLOVER-2021.txt
#   (openeventdata/PLOVER, CC BY-SA 4.0); a code PLOVER does not list takes its nearest
#   parent's; empty for roots 01 and 02.
"""

CODE_RE = re.compile(r"^(0[1-9]|1[0-9]|20)([0-9]{1,2})?$")
PLOVER_LINE_RE = re.compile(r"^([0-9]{2,4}):\s*(.*)$")
PLOVER_CATEGORY_RE = re.compile(r"^[A-Z]+$")
PLOVER_MODE_RE = re.compile(r"^[a-z][a-z_-]*$")


class SourceError(Exception):
    """A source file does not have the expected shape."""


@dataclass
class Report:
    """Disagreements and choices, grouped by topic, in the order found."""

    sections: dict[str, list[str]] = field(default_factory=dict)

    def add(self, section: str, message: str) -> None:
        self.sections.setdefault(section, []).append(message)

    def print(self, out: object = sys.stdout) -> None:
        for section, lines in self.sections.items():
            print(f"== {section} ({len(lines)})", file=out)  # type: ignore[arg-type]
            for line in lines:
                print(f"  {line}", file=out)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    goldstein: float
    quad_class: int
    penta_class: int
    plover_event: str
    plover_mode: str


def root_of(code: str) -> int:
    return int(code[:2])


def quad_class(code: str) -> int:
    r = root_of(code)
    return 1 if r <= 5 else 2 if r <= 9 else 3 if r <= 14 else 4


def penta_class(code: str) -> int:
    r = root_of(code)
    return 0 if r <= 2 else 1 if r <= 5 else 2 if r <= 9 else 3 if r <= 14 else 4


def parent_of(code: str) -> str | None:
    """'1834' -> '183', '155' -> '15', '15' -> None."""
    if len(code) == 4:
        return code[:3]
    if len(code) == 3:
        return code[:2]
    return None


def check_code(code: str, where: str) -> str:
    if not CODE_RE.match(code):
        raise SourceError(f"{where}: bad CAMEO code {code!r}")
    return code


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def read_gdelt(path: Path, header: str) -> dict[str, str]:
    """A two-column GDELT lookup: code -> raw value."""
    lines = read_lines(path)
    if not lines or lines[0].split("\t") != ["CAMEOEVENTCODE", header]:
        raise SourceError(f"{path}:1: expected header CAMEOEVENTCODE<TAB>{header}")
    table: dict[str, str] = {}
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            raise SourceError(f"{path}:{n}: expected 2 tab-separated fields")
        code = check_code(parts[0].strip(), f"{path}:{n}")
        if code in table:
            raise SourceError(f"{path}:{n}: duplicate code {code}")
        table[code] = parts[1]
    return table


def read_cameo_csv(path: Path) -> dict[str, str]:
    """tenthe's cameo.csv: 'code,name'; names contain unquoted commas, so split once."""
    table: dict[str, str] = {}
    for n, line in enumerate(read_lines(path), start=1):
        if not line.strip():
            continue
        code, sep, name = line.partition(",")
        if not sep:
            raise SourceError(f"{path}:{n}: expected 'code,name'")
        code = check_code(code.strip(), f"{path}:{n}")
        if code in table:
            raise SourceError(f"{path}:{n}: duplicate code {code}")
        table[code] = name
    return table


@dataclass(frozen=True)
class PloverEntry:
    category: str
    mode: str
    context: str
    comment: str
    line: int


def read_plover(path: Path, report: Report) -> dict[str, PloverEntry]:
    """CAMEO2PLOVER-2021: 'CODE: CATEGORY, mode, context # CAMEO name'.

    Two-digit lines are section headings ('03: AGREE'); they carry a category only.
    The first entry for a code wins; repeats are reported.
    """
    table: dict[str, PloverEntry] = {}
    for n, raw in enumerate(read_lines(path), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or set(line) == {"~"}:
            continue
        m = PLOVER_LINE_RE.match(line)
        if not m:
            raise SourceError(f"{path}:{n}: cannot parse {raw!r}")
        code = check_code(m.group(1), f"{path}:{n}")
        body, _, comment = m.group(2).partition("#")
        fields = [f.strip() for f in body.split(",")]
        category = fields[0]
        mode = fields[1] if len(fields) > 1 else ""
        if not PLOVER_CATEGORY_RE.match(category):
            raise SourceError(f"{path}:{n}: bad PLOVER category {category!r}")
        if mode and not PLOVER_MODE_RE.match(mode):
            raise SourceError(f"{path}:{n}: bad PLOVER mode {mode!r}")
        context = ",".join(fields[2:]).strip()
        entry = PloverEntry(category, mode, context, comment.strip(), n)
        old = table.get(code)
        if old is None:
            table[code] = entry
        elif (old.category, old.mode) == (category, mode):
            report.add(
                "PLOVER file",
                f"{code}: listed twice (lines {old.line} and {n}) with the same mapping "
                f"{category}/{mode or '-'}; kept once",
            )
        else:
            report.add(
                "PLOVER file",
                f"{code}: listed twice, line {old.line} says {old.category}/{old.mode or '-'}, "
                f"line {n} says {category}/{mode or '-'}; kept the first",
            )
    contexts = {c.strip() for e in table.values() for c in e.context.split(";") if c.strip()}
    for code, e in sorted(table.items()):
        if e.mode in contexts:
            report.add(
                "PLOVER file",
                f"{code}: mode {e.mode!r} is a PLOVER context value elsewhere; kept as given",
            )
    return table


def read_derived(path: Path) -> list[dict[str, str]]:
    lines = read_lines(path)
    header = lines[0].split("\t")
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != len(header):
            raise SourceError(f"{path}:{n}: expected {len(header)} fields")
        rows.append(dict(zip(header, parts, strict=True)))
    return rows


def tidy_gdelt_name(name: str) -> str:
    """GDELT names: collapse runs of spaces, strip trailing blanks."""
    return re.sub(r"\s+", " ", name).strip()


def tidy_cameo_name(name: str) -> str:
    """cameo.csv names: undo the transcription's '- not specified below' (the manual has
    ', not specified below') and use ASCII quotes for the manual's curly ones."""
    name = name.replace("- not specified below", ", not specified below")
    for curly in ("\u201c", "\u201d"):
        name = name.replace(curly, '"')
    return re.sub(r"\s+", " ", name).strip()


def fmt_goldstein(value: float) -> str:
    return f"{value:.1f}"


def build(peer: Path, report: Report) -> list[Row]:
    gdelt_names = read_gdelt(peer / GDELT_NAMES, "EVENTDESCRIPTION")
    gdelt_raw_gold = read_gdelt(peer / GDELT_GOLDSTEIN, "GOLDSTEINSCALE")
    cameo_names = read_cameo_csv(peer / CAMEO_CSV)
    plover = read_plover(peer / PLOVER_MAP, report)

    gdelt_gold: dict[str, float] = {}
    for code, raw in gdelt_raw_gold.items():
        try:
            value = float(raw)
        except ValueError as exc:
            raise SourceError(f"{GDELT_GOLDSTEIN}: {code}: non-numeric {raw!r}") from exc
        if not -10.0 <= value <= 10.0 or round(value, 1) != value:
            raise SourceError(f"{GDELT_GOLDSTEIN}: {code}: bad value {raw!r}")
        gdelt_gold[code] = value

    # --- code sets --------------------------------------------------------------------
    sec = "codes in one list only"
    for code in sorted(set(gdelt_names) ^ set(gdelt_gold)):
        where = "event-code lookup" if code in gdelt_names else "Goldstein lookup"
        report.add(sec, f"{code}: only in GDELT's {where}; included")
    codes = sorted(set(gdelt_names) | set(gdelt_gold) | set(cameo_names))
    for code in codes:
        in_gdelt = code in gdelt_names or code in gdelt_gold
        if in_gdelt and code not in cameo_names:
            report.add(sec, f"{code}: in GDELT, not in CAMEO 1.1b3 list; included (GDELT name)")
        elif not in_gdelt:
            report.add(
                sec,
                f"{code} {tidy_cameo_name(cameo_names[code])!r}: in CAMEO 1.1b3 list, "
                "not in GDELT; included",
            )
    code_set = set(codes)
    for code in sorted(set(plover) - code_set):
        e = plover[code]
        report.add(
            sec,
            f"{code} ({e.comment!r}, {e.category}): only in PLOVER 2021 mapping; "
            "left out (not a CAMEO 1.1b3 or GDELT code)",
        )

    # --- names ------------------------------------------------------------------------
    names: dict[str, str] = {}
    for code in codes:
        g = tidy_gdelt_name(gdelt_names[code]) if code in gdelt_names else None
        c = tidy_cameo_name(cameo_names[code]) if code in cameo_names else None
        if c is not None:
            names[code] = c
            if g is not None and g != c:
                why = "GDELT mojibake" if code == "044" and "\u00d2" in g else "CAMEO 1.1b3 wording"
                report.add("names", f"{code}: GDELT {g!r} vs 1.1b3 {c!r} -> 1.1b3 ({why})")
        elif g is not None:
            names[code] = g
            report.add("names", f"{code}: no CAMEO 1.1b3 name; used GDELT {g!r}")
        else:
            raise SourceError(f"{code}: no name in any source")
        if "\t" in names[code] or not names[code]:
            raise SourceError(f"{code}: unusable name {names[code]!r}")
    changed = sorted(c for c in cameo_names if "- not specified below" in cameo_names[c])
    if changed:
        report.add(
            "name tidying",
            f"cameo.csv writes '- not specified below' where the manual and GDELT write "
            f"', not specified below'; restored the comma in {len(changed)} names",
        )
    curly = sorted(c for c in cameo_names if re.search("[\u201c\u201d]", cameo_names[c]))
    for code in curly:
        report.add("name tidying", f"{code}: curly quotes in cameo.csv replaced by ASCII '\"'")
    spaced = sorted(c for c in gdelt_names if tidy_gdelt_name(gdelt_names[c]) != gdelt_names[c])
    if spaced:
        report.add(
            "name tidying",
            f"GDELT names with trailing or doubled spaces (compared after tidying): "
            f"{', '.join(spaced)}",
        )

    # --- Goldstein --------------------------------------------------------------------
    goldstein: dict[str, float] = {}
    for code in codes:
        if code in gdelt_gold:
            goldstein[code] = gdelt_gold[code]
            continue
        parent = parent_of(code)
        while parent is not None and parent not in gdelt_gold:
            parent = parent_of(parent)
        if parent is None:
            raise SourceError(f"{code}: no Goldstein value for the code or any parent")
        goldstein[code] = gdelt_gold[parent]
        report.add(
            "Goldstein",
            f"{code}: no GDELT value; used parent {parent}'s {fmt_goldstein(gdelt_gold[parent])}",
        )

    # --- PLOVER -----------------------------------------------------------------------
    sec = "PLOVER mapping"
    inherited: dict[str, PloverEntry] = {}
    for code in codes:
        if code not in plover and root_of(code) >= 3:
            parent = next(
                (code[:n] for n in range(len(code) - 1, 1, -1) if code[:n] in plover), None
            )
            if parent is None:
                report.add(sec, f"{code}: no PLOVER 2021 mapping; plover_event left empty")
                continue
            inherited[code] = plover[parent]
            report.add(
                sec,
                f"{code}: no PLOVER 2021 mapping; inherits parent {parent}'s "
                f"{plover[parent].category} {plover[parent].mode}".rstrip(),
            )
    for code in (c for c in codes if len(c) == 2 and c in plover):
        child = plover.get(code + "0")
        if child is not None and child.category != plover[code].category:
            report.add(
                sec,
                f"{code}: section heading says {plover[code].category} but {code}0 says "
                f"{child.category}; kept the heading",
            )
    report.add(
        sec,
        "roots 01 and 02 (statements, appeals) have no PLOVER mapping; left empty",
    )
    report.add(
        sec,
        "two-digit root codes take the category of their section heading "
        "('03: AGREE'), with no mode",
    )

    rows = []
    for code in codes:
        p = plover.get(code) or inherited.get(code)
        rows.append(
            Row(
                code=code,
                name=names[code],
                goldstein=goldstein[code],
                quad_class=quad_class(code),
                penta_class=penta_class(code),
                plover_event=p.category if p else "",
                plover_mode=p.mode if p else "",
            )
        )
    derived_path = peer / DERIVED
    if derived_path.exists():
        check_derived(read_derived(derived_path), rows, gdelt_names, cameo_names, report)
    else:
        report.add("sources", f"{DERIVED} absent: Phoenix Goldstein values not compared")
    return rows


def check_derived(
    derived: list[dict[str, str]],
    rows: list[Row],
    gdelt_names: dict[str, str],
    cameo_names: dict[str, str],
    report: Report,
) -> None:
    """Compare with the _derived join: Phoenix Goldstein values, its extra codes, and
    (as a check on this script's parsing) its GDELT, 1.1b3, quad and PLOVER columns."""
    by_code = {r.code: r for r in rows}
    no_phoenix = []
    mismatches = 0
    for d in derived:
        code = d["cameo_code"]
        phoenix = d["goldstein_phoenix"].strip()
        row = by_code.get(code)
        if row is None:
            where = "Phoenix Goldstein table" if phoenix else "derived join"
            report.add(
                "codes in one list only",
                f"{code}: only in the {where}"
                + (f" ({phoenix})" if phoenix else "")
                + "; left out (not a CAMEO 1.1b3 or GDELT code)",
            )
            continue
        if not phoenix:
            no_phoenix.append(code)
        elif float(phoenix) != row.goldstein:
            report.add(
                "Goldstein",
                f"{code}: GDELT {fmt_goldstein(row.goldstein)} vs Phoenix "
                f"{fmt_goldstein(float(phoenix))} -> GDELT (users compare with GDELT)",
            )
        # Parsing cross-check: these should all agree.
        mine = {
            "name_gdelt": tidy_gdelt_name(gdelt_names.get(code, "")),
            "name_cameo_1.1b3": re.sub(r"\s+", " ", cameo_names.get(code, "")).strip(),
            "quadclass_gdelt": str(row.quad_class),
        }
        if d["goldstein_gdelt"]:
            mine["goldstein_gdelt"] = fmt_goldstein(row.goldstein)
        if len(code) > 2 and d["plover2021_category"]:  # inherited mappings are ours
            mine["plover2021_category"] = row.plover_event
            mine["plover2021_mode"] = row.plover_mode
        for col, value in mine.items():
            theirs = re.sub(r"\s+", " ", d[col]).strip()
            if theirs != value:
                mismatches += 1
                report.add(
                    "check against _derived join",
                    f"{code} {col}: derived {theirs!r} vs this script {value!r}",
                )
    if not mismatches:
        report.add(
            "check against _derived join",
            "its GDELT, 1.1b3, quad-class and PLOVER columns agree with this script's parsing",
        )
    if no_phoenix:
        report.add(
            "Goldstein",
            f"Phoenix has no value for {len(no_phoenix)} codes (nothing to compare)",
        )


def write_tsv(rows: list[Row], out: Path) -> str:
    lines = [HEADER_COMMENT.rstrip("\n"), "\t".join(COLUMNS)]
    for r in rows:
        lines.append(
            "\t".join(
                (
                    r.code,
                    r.name,
                    fmt_goldstein(r.goldstein),
                    str(r.quad_class),
                    str(r.penta_class),
                    r.plover_event,
                    r.plover_mode,
                )
            )
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--peer-data", type=Path, default=DEFAULT_PEER_DATA)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the output file differs from what would be written",
    )
    args = ap.parse_args(argv)
    report = Report()
    try:
        rows = build(args.peer_data, report)
    except (SourceError, OSError) as exc:
        print(f"build_codebook: {exc}", file=sys.stderr)
        return 2
    report.print()
    text = write_tsv(rows, args.out)
    roots = sum(1 for r in rows if len(r.code) == 2)
    mapped = sum(1 for r in rows if r.plover_event)
    print(f"== result: {len(rows)} codes, {roots} roots, {mapped} with a PLOVER category")
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else None
        if current != text:
            print(f"{args.out} is out of date", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
