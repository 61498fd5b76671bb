"""The newcomer's setup: one test command (bin/test) that CI runs too, and a
requires-python that every pinned dependency accepts."""

import re
import tomllib
from importlib.metadata import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_test_command_is_bin_test_and_ci_runs_it_twice():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Run the whole test suite", 1)[1].split("\n## ", 1)[0]
    assert re.search(r"```sh\nbin/test\b", section)
    assert "apt-get install chromium" not in section
    ci = (ROOT / ".ci" / "run").read_text()
    assert len(re.findall(r"^\s*(?:env -u \S+ -u \S+ )?bin/test\s*$", ci, re.M)) == 2
    script = (ROOT / "bin" / "test").read_text()
    for tool in ("chromium", "wrk", "redis-server"):
        assert f"command -v {tool}" in script
    assert 'pytest "$@"' in script


def test_requires_python_starts_where_the_pinned_dependencies_do():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    ours = SpecifierSet(project["requires-python"])
    assert "3.12" in ours and "3.13" in ours  # Ubuntu 24.04 and Debian 13
    pinned = project["dependencies"] + project["optional-dependencies"]["test"]
    floors = []
    for line in pinned:
        name = Requirement(line).name
        theirs = metadata(name).get("Requires-Python")
        if theirs:
            floors.append((name, SpecifierSet(theirs)))
            # Every version we accept, each dependency accepts too.
            for minor in range(11, 15):
                if f"3.{minor}" in ours:
                    assert f"3.{minor}" in SpecifierSet(theirs), (name, theirs)
    assert "3.10" not in ours  # Pillow 13 needs 3.11
    assert any("3.10" not in spec for _name, spec in floors)
