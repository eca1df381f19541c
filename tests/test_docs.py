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


# --- examples that work from a fresh clone ------------------------------------------------------

USER_DOCS = sorted(
    [ROOT / "README.md", ROOT / "examples" / "README.md", *(ROOT / "docs").glob("*.md")]
)


def examples_of(text: str) -> list[str]:
    """What a reader copies: fenced code blocks, and inline code that runs a command."""
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", text, re.S | re.M)
    inline = re.findall(r"`([^`\n]+)`", re.sub(r"^```.*?^```", "", text, flags=re.S | re.M))
    commands = [code for code in inline if re.match(r"(\$ )?(newsevents|make|\.venv/)\b", code)]
    return blocks + commands


def test_examples_of_finds_blocks_and_inline_commands() -> None:
    text = "run `newsevents extract ../shared/x.txt`, see `../shared`\n```\nmake demo\n```\n"
    assert examples_of(text) == ["make demo\n", "newsevents extract ../shared/x.txt"]


@pytest.mark.parametrize("doc", USER_DOCS, ids=lambda doc: str(doc.relative_to(ROOT)))
def test_no_user_facing_example_reads_the_projects_shared_folder(doc) -> None:
    offending = [e for e in examples_of(doc.read_text(encoding="utf-8")) if "../shared" in e]
    assert not offending, f"{doc.name} shows a ../shared path: {offending[0][:200]}"


def test_the_make_demo_recipe_uses_only_files_of_the_clone() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^demo:.*?\n((?:\t.*\n)+)", makefile, re.M)[1]
    assert "../" not in recipe and "examples/corpus" in recipe


def test_every_example_file_the_readme_names_exists() -> None:
    named = {
        match.rstrip(".,;:)")
        for example in examples_of(README)
        + examples_of((ROOT / "examples" / "README.md").read_text(encoding="utf-8"))
        for match in re.findall(r"\bexamples/[\w./-]+", example)
    }
    assert "examples/wire-story.txt" in named and "examples/corpus" in named
    missing = sorted(name for name in named if not (ROOT / name).exists())
    assert not missing, f"the README names files that are not in the clone: {missing}"


def test_the_exit_codes_are_documented() -> None:
    from newsevents.cli.main import EXIT_FAILURE, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE

    output = (ROOT / "docs" / "output.md").read_text(encoding="utf-8")
    section = output.split("## Exit codes", 1)[1]
    readme = README.split("### Exit codes", 1)[1].split("<!-- end: exit-codes -->")[0]
    for code in (EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_PARTIAL):
        assert re.search(rf"^\| {code} \| \w", section, re.M), f"docs/output.md: no code {code}"
        assert re.search(rf"^\| {code} \| \w", readme, re.M), f"README: no exit code {code}"
