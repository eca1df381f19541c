"""The documentation keeps up with the code: every command is in the README and has help,
every data file is documented, the README's two commands are real Make targets."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from newsevents.cli.main import cli
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DICTIONARY_DOCS = (ROOT / "docs" / "dictionaries.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_in_the_readme_and_has_help(name: str) -> None:
    assert re.search(rf"newsevents {name}\b", README), f"README never shows `newsevents {name}`"
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert len(cli.commands[name].get_short_help_str()) > 10


@pytest.mark.parametrize(
    "name", sorted(p.name for p in (ROOT / "newsevents" / "data").iterdir() if p.is_file())
)
def test_every_data_file_is_documented(name: str) -> None:
    docs = DICTIONARY_DOCS + (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")
    assert f"`{name}`" in docs, f"docs/dictionaries.md does not describe {name}"


def test_readme_leads_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    assert [line.split("#")[0].strip() for line in first_block.strip().splitlines()] == [
        "make demo",
        "make test",
    ]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
