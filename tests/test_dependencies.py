"""pyproject.toml declares exactly what the site's code uses, and nothing else.

Every third-party module the site's own code imports (found by `ast` in every
module, imports inside functions included: `test_architecture.imported_modules`) is mapped to the distribution
that installs it (importlib.metadata), and that distribution must be declared
directly: in `dependencies` when code outside tests/ imports it, in the `test`
extra at least when only the tests do. A distribution that another one merely
happens to pull in is not enough: the lock would drop it the day that other
one stops asking for it.

A declared distribution that nothing imports must be in USED_WITHOUT_IMPORT,
which says how it is used (a command-line tool, a Pelican or pytest plugin)
and where, and the place named must still say so.
"""

from __future__ import annotations

import functools
import re
import sys
import tomllib
from collections.abc import Callable, Iterable, Mapping
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions
from pathlib import Path
from typing import NamedTuple

from conftest import ROOT
from test_architecture import ALLOWED, imported_modules

# The site's own code: every module found under these (every room, tests/ included).
CODE = (
    *sorted(ALLOWED),
    "tests",
    "tasks.py",
    "pelicanconf.py",
    "publishconf.py",
)
# Declared distributions used without an import: how, and a file that shows the
# use (the text must be in it, so an entry cannot outlive its use).
USED_WITHOUT_IMPORT = {
    "pelican-neighbors": (
        "a Pelican plugin, named in PLUGINS",
        "pelicanconf.py",
        '"pelican.plugins.neighbors"',
    ),
    "pytest-xdist": ("a pytest plugin: `pytest --numprocesses`", "tasks.py", "--numprocesses"),
    "ruff": ("a command-line tool: `python -m ruff`", "tasks.py", "-m ruff check"),
    "uv": ("a command-line tool: `invoke lock`", "tasks.py", "-m uv pip compile"),
    "check-jsonschema": (
        "a command-line tool: the workflows against GitHub's schema",
        "tests/test_workflow.py",
        '"check-jsonschema"',
    ),
    "zizmor": (
        "a command-line tool: `zizmor --offline` over the workflows",
        "tests/test_workflow.py",
        '"zizmor"',
    ),
}


class Import(NamedTuple):
    where: str  # file:line
    module: str  # as written, e.g. "PIL.Image" or "pelican.plugins"
    tests_only: bool  # in tests/, so the `test` extra may declare it


def normalized(name: str) -> str:
    """A distribution's name as the index compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(pyproject: Mapping) -> dict[str, str]:
    """Each distribution pyproject.toml declares (normalized) and where: "dependencies"
    or "test" (the first wins when both list one)."""
    project = pyproject["project"]
    found: dict[str, str] = {}
    for group, requirements in (
        ("dependencies", project.get("dependencies", [])),
        ("test", project.get("optional-dependencies", {}).get("test", [])),
    ):
        for requirement in requirements:
            name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
            assert name, f"pyproject.toml: cannot read the requirement {requirement!r}"
            found.setdefault(normalized(name.group()), group)
    return found


def code_files(root: Path) -> list[Path]:
    files = []
    for name in CODE:
        path = root / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def own_modules(root: Path) -> set[str]:
    """Top-level names that are the site's own: its packages and top-level modules,
    and the test modules, which import each other by name (pytest's rootdir)."""
    names = {path.stem for path in root.glob("*.py")}
    names |= {path.parent.name for path in root.glob("*/__init__.py")}
    names |= {path.stem for path in (root / "tests").glob("*.py")}
    return names


def third_party_imports(root: Path, files: Iterable[Path]) -> list[Import]:
    """Every import in `files` of a module neither the standard library's nor the site's."""
    own = own_modules(root)
    found = []
    for path in files:
        rel = path.relative_to(root).as_posix()
        for line, module in imported_modules(path):
            top = module.partition(".")[0]
            if top not in sys.stdlib_module_names and top not in own and top != "__future__":
                found.append(Import(f"{rel}:{line}", module, rel.startswith("tests/")))
    return found


@functools.cache
def _files_of(name: str) -> frozenset[str]:
    try:
        return frozenset(str(file) for file in distribution(name).files or ())
    except PackageNotFoundError:
        return frozenset()


def distribution_of(
    module: str,
    packages: Mapping[str, list[str]],
    files_of: Callable[[str], frozenset[str]] = _files_of,
) -> str | None:
    """The distribution that installs `module`, or None. Where several install
    under one top-level name (pelican and the namespace plugin pelican-neighbors),
    the one holding the module's own file, or else its nearest package's."""
    candidates = sorted(set(packages.get(module.partition(".")[0], [])))
    if len(candidates) < 2:
        return candidates[0] if candidates else None
    parts = module.split(".")
    for depth in range(len(parts), 0, -1):
        base = "/".join(parts[:depth])
        for candidate in candidates:
            if {f"{base}.py", f"{base}/__init__.py"} & files_of(candidate):
                return candidate
    return None


def dependency_problems(
    imports: Iterable[Import],
    wanted: Mapping[str, str],
    packages: Mapping[str, list[str]],
    used_without_import: Mapping[str, object],
    files_of: Callable[[str], frozenset[str]] = _files_of,
) -> list[str]:
    """What pyproject.toml (`wanted`, from `declared`) gets wrong about `imports`."""
    problems = []
    imported = set()
    for found in imports:
        owner = distribution_of(found.module, packages, files_of)
        if owner is None:
            problems.append(
                f"{found.where}: imports {found.module}, which no installed distribution "
                "provides: install it and declare it in pyproject.toml"
            )
            continue
        name = normalized(owner)
        imported.add(name)
        group = wanted.get(name)
        if group is None:
            problems.append(
                f"{found.where}: imports {found.module} from {owner}, which pyproject.toml "
                f"does not declare: add it to {'the test extra' if found.tests_only else 'dependencies'}"
            )
        elif group == "test" and not found.tests_only:
            problems.append(
                f"{found.where}: imports {found.module} from {owner}, which pyproject.toml "
                "declares only for the tests: move it to dependencies"
            )
    for name in sorted(set(wanted) - imported - set(used_without_import)):
        problems.append(
            f"pyproject.toml: declares {name}, which nothing imports: remove it, or say how "
            "it is used in USED_WITHOUT_IMPORT (tests/test_dependencies.py)"
        )
    return problems


def test_pyproject_declares_what_the_code_imports_and_nothing_else():
    wanted = declared(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8")))
    imports = third_party_imports(ROOT, code_files(ROOT))
    assert len(imports) > 50, "the walk found the imports"
    problems = dependency_problems(imports, wanted, packages_distributions(), USED_WITHOUT_IMPORT)
    assert not problems, "\n".join(problems)


def test_each_use_without_an_import_is_still_there():
    wanted = declared(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8")))
    packages = packages_distributions()
    imported = {
        normalized(owner)
        for found in third_party_imports(ROOT, code_files(ROOT))
        if (owner := distribution_of(found.module, packages))
    }
    for name, (how, where, text) in USED_WITHOUT_IMPORT.items():
        assert name in wanted, f"{name} ({how}) is not declared in pyproject.toml"
        assert name not in imported, f"{name} is imported: take it out of USED_WITHOUT_IMPORT"
        assert text in (ROOT / where).read_text(encoding="utf-8"), (
            f"{where} no longer shows {name} used as {how}: is it still needed?"
        )


def test_a_namespace_shared_by_two_distributions_goes_to_the_right_one():
    packages = packages_distributions()
    assert distribution_of("pelican.plugins.signals", packages) == "pelican"
    assert distribution_of("pelican", packages) == "pelican"
    assert distribution_of("pelican.plugins.neighbors", packages) == "pelican-neighbors"
    assert normalized(distribution_of("PIL.Image", packages)) == "pillow"
    assert normalized(distribution_of("ruamel.yaml", packages)) == "ruamel-yaml"


def test_the_check_fails_on_an_undeclared_import_and_an_unused_declaration(tmp_path):
    """A fake import and a fake declaration, each named where it is."""
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "__init__.py").write_text("")
    (tmp_path / "plugins" / "thing.py").write_text(
        "import os\nfrom plugins import other\n\n\ndef f():\n    import fake_module.part\n"
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("import test_y\nfrom fake_tool import run\n")
    (tmp_path / "tests" / "test_y.py").write_text("")
    imports = third_party_imports(tmp_path, sorted(tmp_path.rglob("*.py")))
    assert imports == [
        Import("plugins/thing.py:6", "fake_module.part", False),
        Import("tests/test_x.py:2", "fake_tool", True),
    ]
    packages = {"fake_module": ["Fake-Dist"], "fake_tool": ["fake-tool"]}
    wanted = declared(
        {
            "project": {
                "dependencies": ["unused-dist==1.0  # never imported"],
                "optional-dependencies": {"test": ["fake_tool>=2", "fake.cli"]},
            }
        }
    )
    assert wanted == {"unused-dist": "dependencies", "fake-tool": "test", "fake-cli": "test"}
    assert dependency_problems(imports, wanted, packages, {"fake-cli": "a CLI"}) == [
        "plugins/thing.py:6: imports fake_module.part from Fake-Dist, which pyproject.toml "
        "does not declare: add it to dependencies",
        "pyproject.toml: declares unused-dist, which nothing imports: remove it, or say how "
        "it is used in USED_WITHOUT_IMPORT (tests/test_dependencies.py)",
    ]
    # Declared for the tests only, but the build imports it; and a module nobody installs.
    wanted = {"fake-dist": "test", "fake-tool": "test"}
    missing = Import("commands/x.py:3", "not_installed", False)
    assert dependency_problems([*imports, missing], wanted, packages, {}) == [
        "plugins/thing.py:6: imports fake_module.part from Fake-Dist, which pyproject.toml "
        "declares only for the tests: move it to dependencies",
        "commands/x.py:3: imports not_installed, which no installed distribution provides: "
        "install it and declare it in pyproject.toml",
    ]
    # Two distributions under one name: the one holding the module's file.
    shared = {"space": ["space-core", "space-plugin"]}
    files = {
        "space-core": frozenset({"space/__init__.py", "space/plugins/signals.py"}),
        "space-plugin": frozenset({"space/plugins/extra/__init__.py"}),
    }
    assert distribution_of("space.plugins.extra.inner", shared, files.get) == "space-plugin"
    assert distribution_of("space.plugins.signals", shared, files.get) == "space-core"
    assert distribution_of("space", shared, files.get) == "space-core"
