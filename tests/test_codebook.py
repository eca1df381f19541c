"""Tests for the CAMEO codebook table and its loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsevents.codebook import COLUMNS, CameoCode, Codebook
from newsevents.errors import DictionaryError

PEER_DATA = Path(__file__).resolve().parents[2] / "shared" / "peer-data"
GDELT_GOLDSTEIN = PEER_DATA / "UNDP-BCPR-Project" / "CAMEO.goldsteinscale.txt"
GDELT_NAMES = PEER_DATA / "UNDP-BCPR-Project" / "CAMEO.eventcodes.txt"

HEADER = "\t".join(COLUMNS)
GOOD_ROWS = [
    "04\tCONSULT\t1.0\t1\t1\tCONSULT\t",
    "042\tMake a visit\t1.9\t1\t1\tCONSULT\tvisit",
    "19\tFIGHT\t-10.0\t4\t4\tASSAULT\t",
]


@pytest.fixture(scope="module")
def cb() -> Codebook:
    return Codebook.load()


def write_tsv(tmp_path: Path, rows: list[str], header: str = HEADER) -> Path:
    path = tmp_path / "codes.tsv"
    path.write_text("# a comment\n" + header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


# --- the packaged table --------------------------------------------------------------


def test_loads_packaged_table(cb: Codebook) -> None:
    assert len(cb) >= 300
    assert all(isinstance(c, CameoCode) for c in cb)


def test_all_twenty_roots(cb: Codebook) -> None:
    assert [c.code for c in cb.roots()] == [f"{i:02d}" for i in range(1, 21)]


def test_iteration_in_code_order(cb: Codebook) -> None:
    codes = [c.code for c in cb]
    assert codes == sorted(codes)
    assert len(codes) == len(set(codes))
    assert codes[:3] == ["01", "010", "011"]


def test_codes_keep_leading_zeros(cb: Codebook) -> None:
    assert "010" in cb
    assert "0211" in cb
    assert "1823" in cb
    assert cb["0211"].root == "02"
    assert cb["1823"].root == "18"


def test_known_facts(cb: Codebook) -> None:
    visit = cb["042"]
    assert visit.name == "Make a visit"
    assert visit.goldstein == 1.9
    assert visit.plover_event == "CONSULT"
    assert visit.plover_mode == "visit"
    assert cb["163"].goldstein < 0
    assert cb["163"].name == "Impose embargo, boycott, or sanctions"
    assert cb["190"].goldstein == -10.0
    assert cb["0874"].name == "Retreat or surrender militarily"
    assert cb["0874"].goldstein == 10.0
    assert cb["1823"].name == "Kill by physical assault"
    assert cb["010"].name == "Make statement, not specified below"


def test_name_fixes(cb: Codebook) -> None:
    # GDELT's mojibake in 044 is replaced by the CAMEO 1.1b3 wording, in ASCII.
    assert cb["044"].name == 'Meet at a "third" location'
    # GDELT's shifted names at 101-108 are replaced by CAMEO 1.1b3's.
    assert cb["108"].name == "Demand mediation"
    assert all(c.name == c.name.strip() and "  " not in c.name for c in cb)
    assert all(c.name.isascii() for c in cb)


def test_cameo_1_1b3_extra_codes_take_parent_goldstein(cb: Codebook) -> None:
    for code, parent in [("155", "15"), ("176", "17"), ("1834", "183"), ("1951", "195")]:
        assert code in cb
        assert cb[code].goldstein == cb[parent].goldstein


QUAD_PENTA = {
    "01": (1, 0), "02": (1, 0), "03": (1, 1), "04": (1, 1), "05": (1, 1),
    "06": (2, 2), "07": (2, 2), "08": (2, 2), "09": (2, 2),
    "10": (3, 3), "11": (3, 3), "12": (3, 3), "13": (3, 3), "14": (3, 3),
    "15": (4, 4), "16": (4, 4), "17": (4, 4), "18": (4, 4), "19": (4, 4), "20": (4, 4),
}  # fmt: skip


@pytest.mark.parametrize("root", sorted(QUAD_PENTA))
def test_quad_and_penta_per_root(cb: Codebook, root: str) -> None:
    quad, penta = QUAD_PENTA[root]
    members = cb.under(root)
    assert members and members[0].code == root
    assert len(members) > 1
    for c in members:
        assert c.root == root
        assert (c.quad_class, c.penta_class) == (quad, penta), c.code


def test_under_and_roots(cb: Codebook) -> None:
    assert sum(len(cb.under(r.code)) for r in cb.roots()) == len(cb)
    assert [c.code for c in cb.under("04")] == ["04"] + [f"04{i}" for i in range(7)]
    assert cb.under("99") == []


def test_plover_mapping_present_for_most_codes(cb: Codebook) -> None:
    mapped = [c for c in cb if c.plover_event]
    assert len(mapped) >= 0.8 * len(cb)
    assert all(c.plover_event.isupper() for c in mapped)  # type: ignore[union-attr]
    # PLOVER 2021 has no category for statements and appeals.
    assert all(c.plover_event is None for c in cb.under("01") + cb.under("02"))
    assert cb["0874"].plover_event == "RETREAT"
    assert cb["173"].plover_event == "COERCE"
    assert cb["190"].plover_event == "ASSAULT"
    assert cb["190"].plover_mode is None
    assert cb["03"].plover_event == "AGREE"


def test_goldstein_range(cb: Codebook) -> None:
    assert all(-10.0 <= c.goldstein <= 10.0 for c in cb)


def test_lookup_api(cb: Codebook) -> None:
    assert cb.get("042") is cb["042"]
    assert cb.get("999") is None
    assert "999" not in cb
    assert 42 not in cb  # type: ignore[operator]
    with pytest.raises(KeyError, match="unknown CAMEO event code '999'"):
        cb["999"]
    with pytest.raises(KeyError, match="did you mean '042'"):
        cb["42"]


def test_load_explicit_path_equals_default(cb: Codebook) -> None:
    path = Path(__file__).resolve().parents[1] / "newsevents" / "data" / "cameo_codes.tsv"
    assert list(Codebook.load(path)) == list(cb)
    assert list(Codebook.load(str(path))) == list(cb)


# --- validation ----------------------------------------------------------------------


def test_small_good_file(tmp_path: Path) -> None:
    cb = Codebook.load(write_tsv(tmp_path, GOOD_ROWS))
    assert len(cb) == 3
    assert cb["04"].plover_mode is None
    assert cb["042"].plover_mode == "visit"


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("043\tHost a visit\t2.8\t1\t1\tCONSULT", "expected 7 tab-separated columns, found 6"),
        ("043\tHost a visit\t2.8\t1\t1\tCONSULT\t\textra", "found 8"),
        ("043\tHost a visit\tbig\t1\t1\tCONSULT\t", "is not a number"),
        ("043\tHost a visit\t12.5\t1\t1\tCONSULT\t", r"outside \[-10, 10\]"),
        ("043\tHost a visit\tnan\t1\t1\tCONSULT\t", r"outside \[-10, 10\]"),
        ("43\tHost a visit\t2.8\t1\t1\tCONSULT\t", "bad CAMEO code '43'"),
        ("04300\tHost a visit\t2.8\t1\t1\tCONSULT\t", "bad CAMEO code '04300'"),
        ("21\tNot a root\t2.8\t1\t1\t\t", "bad CAMEO code '21'"),
        ("042\tMake a visit again\t1.9\t1\t1\tCONSULT\t", "duplicate code '042'"),
        ("043\tHost a visit\t2.8\t3\t1\tCONSULT\t", "quad_class 3 is inconsistent with root 04"),
        ("043\tHost a visit\t2.8\t1\t0\tCONSULT\t", "penta_class 0 is inconsistent with root 04"),
        ("043\tHost a visit\t2.8\tone\t1\tCONSULT\t", "quad_class 'one' is not an integer"),
        ("043\t\t2.8\t1\t1\tCONSULT\t", "empty name"),
        ("043\tHost a visit\t2.8\t1\t1\tconsult\t", "not an upper-case category"),
        ("043\tHost a visit\t2.8\t1\t1\t\tvisit", "without a plover_event"),
    ],
)
def test_bad_row_reports_file_and_line(tmp_path: Path, bad_row: str, message: str) -> None:
    path = write_tsv(tmp_path, [*GOOD_ROWS, bad_row])
    with pytest.raises(DictionaryError, match=message) as info:
        Codebook.load(path)
    err = info.value
    # comment line 1, header line 2, three good rows on lines 3-5, the bad row on line 6
    assert err.line == 6
    assert err.path == str(path)
    assert str(err).startswith(f"{path}:6: ")


def test_duplicate_names_first_line(tmp_path: Path) -> None:
    path = write_tsv(tmp_path, [*GOOD_ROWS, "042\tMake a visit\t1.9\t1\t1\tCONSULT\tvisit"])
    with pytest.raises(DictionaryError, match=r"first on line 4"):
        Codebook.load(path)


def test_bad_header(tmp_path: Path) -> None:
    path = write_tsv(tmp_path, GOOD_ROWS, header="code\tname\tgoldstein")
    with pytest.raises(DictionaryError, match="expected header") as info:
        Codebook.load(path)
    assert info.value.line == 2


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.tsv"
    path.write_text("# only a comment\n\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match="no header"):
        Codebook.load(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DictionaryError, match="cannot read"):
        Codebook.load(tmp_path / "nope.tsv")


def test_blank_lines_and_comments_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "codes.tsv"
    path.write_text(
        "\n# c\n" + HEADER + "\n\n" + GOOD_ROWS[0] + "\n# mid comment\n" + GOOD_ROWS[1] + "\n",
        encoding="utf-8",
    )
    assert [c.code for c in Codebook.load(path)] == ["04", "042"]


# --- against the GDELT lookup (reference data, not in the repository) -----------------


def _read_gdelt(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return dict(line.split("\t", 1) for line in lines if line.strip())


def test_every_gdelt_code_has_gdelt_goldstein(cb: Codebook) -> None:
    if not GDELT_GOLDSTEIN.exists() or not GDELT_NAMES.exists():
        pytest.skip(f"reference data not available at {PEER_DATA}")
    gdelt = _read_gdelt(GDELT_GOLDSTEIN)
    assert len(gdelt) >= 300
    for code, value in gdelt.items():
        assert code in cb, code
        assert cb[code].goldstein == float(value), code
    assert set(_read_gdelt(GDELT_NAMES)) <= {c.code for c in cb}
