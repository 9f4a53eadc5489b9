"""The project's promises to its users: two commands, one dependency list, one table."""

import re
import tomllib

from dlconcepts import catalog


def names(requirements):
    return {re.split(r"[=<>!~\[ ]", r.strip(), maxsplit=1)[0].lower() for r in requirements}


def test_environment_yml_lists_the_same_packages(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    declared = names(project["dependencies"]) | names(project["optional-dependencies"]["dev"])
    declared |= names(project["optional-dependencies"]["docs"])  # make installs dev + docs
    env = (root / "environment.yml").read_text()
    pip_section = env.split("- pip:", 1)[1]
    listed = {
        line.strip()[2:] for line in pip_section.splitlines() if line.strip().startswith("- ")
    }
    listed.discard("-e .")
    assert names(listed) == declared
    assert "python>=3.11,<3.14" in env


def test_supported_pythons_agree(root):
    """pyproject, environment.yml, the Makefile's search and the README name 3.11-3.13."""
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11,<3.14"
    makefile = (root / "Makefile").read_text()
    assert "for c in python3.13 python3.12 python3.11 python3" in makefile
    assert "(3, 11) <= sys.version_info[:2] <= (3, 13)" in makefile
    assert "Python 3.11, 3.12 or 3.13" in (root / "README.md").read_text()


def test_pins_agree_with_constraints(root):
    constraints = (root / "constraints.txt").read_text().splitlines()
    assert "torch==2.14.1" in constraints and "torchvision==0.29.1" in constraints
    pinned = names(constraints)
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    installed = names(extras["dev"]) | names(extras["docs"])  # what make installs
    for name in names(project["dependencies"]) | installed:
        assert name.replace("_", "-") in {p.replace("_", "-") for p in pinned}, name


def test_readme_has_two_commands_and_the_catalog_table(root):
    readme = (root / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    assert catalog.markdown_table() in readme, "README table is stale: run `dlconcepts table`"


def test_ci_calls_the_readme_test_command(root):
    script = (root / ".ci" / "run").read_text()
    assert "make test" in script
