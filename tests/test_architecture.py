"""The rooms of the code and their arrows (docs/architecture.md).

Imports run one way: tasks.py → preview → commands → plugins → rules and
engine → settings; benchmarks/ uses commands, plugins, rules and engine;
scripts/ (standard library only) sits below them all. engine/, what makes
the build fast, imports nothing else of the site's. These tests read every module of every
room, so that each of these fails with the file and line to change:

- an import that points the wrong way;
- a module that reaches into another room's private names (`from X import
  _name`, `module._name`, or `setattr(module, "_name", …)` as a test's
  monkeypatch does): a private name may change without notice, so another
  room asks its owner for a public one. The tests (tests/*.py) are held to
  the same: they use only the public names of the site's code (their own
  helpers, the standard library and third-party code are theirs to use);
- an import of the site's own code inside a function, anywhere in rules/
  (one entry point, `rules.folder`, runs them all, so no rule needs one) and
  across rooms everywhere else (what a module needs of another room is named
  at its top, where these checks and a reader see it);
- a helper parked in plugins/ that Pelican never loads;
- a module or file of a room that docs/architecture.md does not name on a
  line of its own;
- a module without its test file: the tests of `room/name.py` are in
  tests/test_name.py, or tests/test_room_name.py where the name alone says too
  little (tests/README.md), so a maintainer finds them without an index.

tasks.py is the top: it may import any room, and imports each task's command
inside the task. The tests may import any room, anywhere.
"""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT

from commands.build import load_settings

# What each room may import of the site's own packages.
ALLOWED = {
    "rules": {"rules"},
    # What makes the build fast: given the settings and its callers' functions.
    "engine": {"engine"},
    "plugins": {"plugins", "rules", "engine"},
    "commands": {"commands", "plugins", "rules", "engine", "scripts"},
    # The preview builds with the commands' own functions (the one strict build,
    # photo cleaning, .gz copies), so it serves what `invoke build` writes.
    "preview": {"preview", "commands", "plugins", "rules", "engine"},
    # The benchmark times a real preview, and waits for what it says.
    "benchmarks": {"benchmarks", "preview", "commands", "plugins", "rules", "engine"},
    # Runs before the virtual environment exists: the standard library only.
    "scripts": {"scripts"},
}
OWN_PACKAGES = {*ALLOWED, "tasks"}
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every absolute import in `path`, those inside functions too
    (tests/test_dependencies.py reads the same list)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def room_modules() -> list[tuple[str, Path]]:
    """(room, path) for every Python module of every room, tasks.py and the tests."""
    found = [(room, path) for room in ALLOWED for path in sorted((ROOT / room).rglob("*.py"))]
    tests = [("tests", path) for path in sorted((ROOT / "tests").glob("*.py"))]
    return [*found, ("tasks", ROOT / "tasks.py"), *tests]


def _top(name: str) -> str:
    return name.split(".")[0]


def _inside_function(tree: ast.Module) -> set[ast.AST]:
    """Every node that stands inside a function (or a method) of `tree`."""
    inside: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            inside |= set(ast.walk(node)) - {node}
    return inside


def own_imports(tree: ast.Module) -> list[tuple[ast.stmt, str, str | None, str]]:
    """(node, module, name, bound) for every import of the site's own code in `tree`:
    `name` is what `from module import name` takes (None for `import module`), and
    `bound` the local name it binds (`import a.b` binds `a`)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [
                (node, a.name, None, a.asname or _top(a.name))
                for a in node.names
                if _top(a.name) in OWN_PACKAGES
            ]
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and _top(node.module) in OWN_PACKAGES
        ):
            found += [(node, node.module, a.name, a.asname or a.name) for a in node.names]
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def wrong_imports(room: str, source: str, where: str) -> list[str]:
    """What a module of `room` with this `source` does against the arrows, as `where:line: …`."""
    tree = ast.parse(source, where)
    inside = _inside_function(tree)
    wrong: list[str] = []
    stands_for: dict[str, str] = {}  # a name bound by an import -> the site's module or name
    for node, module, name, bound in own_imports(tree):
        home = _top(module)
        line = f"{where}:{node.lineno}"
        if room in ALLOWED and home not in ALLOWED[room]:
            wrong.append(f"{line}: imports {module}, which {room}/ may not use")
        if node in inside and room in ALLOWED and (room == "rules" or home != room):
            what = module if name is None else f"{name} from {module}"
            wrong.append(
                f"{line}: imports {what} inside a function; import it at the top of the module"
            )
        if name is not None and _private(name) and home != room:
            wrong.append(f"{line}: imports {name} from {module}, a private name of {home}/")
        if name is not None:
            stands_for[bound] = f"{module}.{name}"
        else:
            stands_for[bound] = module if bound != _top(module) else bound
    used = []
    for node, owner_node, name in _named_uses(tree):
        owner = ast.unparse(owner_node)
        first = owner.split(".")[0]
        if not _private(name) or first not in stands_for:
            continue
        module = stands_for[first] + owner[len(first) :]
        if _top(module) != room:
            used.append(
                (
                    (node.lineno, node.col_offset),
                    f"{where}:{node.lineno}: uses {name} from {module}, "
                    f"a private name of {_top(module)}/",
                )
            )
    wrong += [problem for _, problem in sorted(used)]
    return list(dict.fromkeys(wrong))  # one line for an import statement that breaks a rule twice


# The calls that name an attribute of their first argument by a string.
BY_NAME = {"getattr", "setattr", "delattr", "hasattr"}


def _named_uses(tree: ast.Module) -> list[tuple[ast.expr, ast.expr, str]]:
    """(node, owner, name) for every `owner.name` in `tree`, and every attribute named
    by a string in `getattr(owner, "name")` and its kin, `monkeypatch.setattr` too."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            found.append((node, node.value, node.attr))
        elif isinstance(node, ast.Call) and len(node.args) >= 2:
            called = node.func
            name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            named = node.args[1]
            if name in BY_NAME and isinstance(named, ast.Constant) and isinstance(named.value, str):
                found.append((node, node.args[0], named.value))
    return found


@pytest.mark.parametrize("room", [*sorted(ALLOWED), "tasks", "tests"])
def test_each_room_imports_only_the_rooms_below_it_and_their_public_names(room):
    wrong = [
        problem
        for home, path in room_modules()
        if home == room
        for problem in wrong_imports(
            room, path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))
        )
    ]
    assert not wrong, "\n".join(wrong)


def test_the_import_checks_find_each_kind_of_wrong_import():
    source = textwrap.dedent(
        """
        import os, rules.dates
        from commands.build import build
        from plugins import images
        from plugins.images import _pending
        from rules.files import _check, check_file


        def later():
            from rules import site
            import plugins.sitemap
            os._exit(0)
            return images._pending, plugins.sitemap._urls, rules.dates._PATTERN, build._x
        """
    )
    assert wrong_imports("preview", source, "preview/x.py") == [
        "preview/x.py:5: imports _pending from plugins.images, a private name of plugins/",
        "preview/x.py:6: imports _check from rules.files, a private name of rules/",
        "preview/x.py:10: imports site from rules inside a function; import it at the top of the module",
        "preview/x.py:11: imports plugins.sitemap inside a function; import it at the top of the module",
        "preview/x.py:13: uses _pending from plugins.images, a private name of plugins/",
        "preview/x.py:13: uses _urls from plugins.sitemap, a private name of plugins/",
        "preview/x.py:13: uses _PATTERN from rules.dates, a private name of rules/",
        "preview/x.py:13: uses _x from commands.build.build, a private name of commands/",
    ]
    inside_rules = textwrap.dedent(
        """
        from rules.dates import _PATTERN


        def check():
            from rules.names import slug_problem
            return _PATTERN, slug_problem
        """
    )
    assert wrong_imports("rules", inside_rules, "rules/x.py") == [
        "rules/x.py:6: imports slug_problem from rules.names inside a function; import it at the top of the module",
    ]
    a_test = textwrap.dedent(
        """
        import os
        from conftest import _private_copy
        from engine import cache as site_cache
        from plugins import plain_metadata
        from plugins.images import _file_keys


        def test_it(monkeypatch):
            from preview.rebuild import _forget_rendered_content, forget_memos
            monkeypatch.setattr(plain_metadata, "_MEMO", {})
            monkeypatch.setattr(plain_metadata, "forget", forget_memos)
            site_cache._held.clear()
            os._exit, _private_copy, site_cache.forget(), getattr(plain_metadata, "_DATES")
        """
    )
    assert wrong_imports("tests", a_test, "tests/test_x.py") == [
        "tests/test_x.py:6: imports _file_keys from plugins.images, a private name of plugins/",
        "tests/test_x.py:10: imports _forget_rendered_content from preview.rebuild, a private name of preview/",
        "tests/test_x.py:11: uses _MEMO from plugins.plain_metadata, a private name of plugins/",
        "tests/test_x.py:13: uses _held from engine.cache, a private name of engine/",
        "tests/test_x.py:14: uses _DATES from plugins.plain_metadata, a private name of plugins/",
    ]
    assert wrong_imports("plugins", "from commands.build import build\n", "plugins/x.py") == [
        "plugins/x.py:1: imports commands.build, which plugins/ may not use",
    ]
    assert wrong_imports("engine", "from plugins import images\n", "engine/x.py") == [
        "engine/x.py:1: imports plugins, which engine/ may not use",
    ]


def test_plugins_holds_only_what_pelican_loads():
    settings = load_settings()
    loaded = {name for name in settings["PLUGINS"] if name.startswith("plugins.")}
    loaded |= {
        name for name in settings["MARKDOWN"]["extension_configs"] if name.startswith("plugins.")
    }
    modules = {
        f"plugins.{path.stem}"
        for path in (ROOT / "plugins").glob("*.py")
        if path.stem != "__init__"
    }
    assert modules - loaded == set(), "not a Pelican plugin or Markdown extension: move it"
    assert loaded - modules == set(), "named in the settings but missing from plugins/"


def test_every_room_says_what_it_is():
    undocumented = [
        room
        for room in [*ALLOWED, "tests"]
        if (ROOT / room / "__init__.py").exists()
        and not ast.get_docstring(ast.parse((ROOT / room / "__init__.py").read_text()))
    ]
    assert not undocumented
    architecture = ARCHITECTURE.read_text(encoding="utf-8")
    folders = [*ALLOWED, "theme", "content", "tests", "docs", "deploy", ".github", ".ci"]
    missing = [folder for folder in folders if f"`{folder}/" not in architecture]
    assert not missing, f"docs/architecture.md has no line for {missing}"


def test_docs_architecture_names_every_module_on_a_line_of_its_own():
    named = set(re.findall(r"^- `([^`]+)`", ARCHITECTURE.read_text(encoding="utf-8"), re.M))
    files = [
        path.relative_to(ROOT).as_posix()
        for room in ALLOWED
        for path in sorted((ROOT / room).rglob("*"))
        if path.is_file() and path.name != "__init__.py" and "__pycache__" not in path.parts
    ]
    unnamed = [path for path in files if path not in named]
    assert not unnamed, (
        "docs/architecture.md has no line of its own (- `path`: what it does) for:\n  "
        + "\n  ".join(unnamed)
    )
    gone = sorted(
        name
        for name in named
        if name.split("/")[0] in ALLOWED and "." in name and not (ROOT / name).is_file()
    )
    assert not gone, f"docs/architecture.md names modules that do not exist: {gone}"


# --- Every module has its test file -------------------------------------------

# The rooms whose modules each have a test file named after them.
TESTED_ROOMS = ("rules", "engine", "plugins", "commands", "preview", "scripts", "benchmarks")


def expected_test_files(module: str) -> tuple[str, str]:
    """The two names the tests of `room/name.py` may have: test_name.py, test_room_name.py."""
    room, name = module.removesuffix(".py").split("/")
    return f"test_{name}.py", f"test_{room}_{name}.py"


def modules_without_tests(root: Path) -> list[str]:
    """Each module of TESTED_ROOMS under `root` with no test file in root/tests
    named after it, and the file it should have."""
    missing = []
    for room in TESTED_ROOMS:
        for path in sorted((root / room).glob("*.py")):
            module = path.relative_to(root).as_posix()
            if path.stem == "__init__":
                continue
            names = expected_test_files(module)
            if not any((root / "tests" / name).is_file() for name in names):
                missing.append(f"{module}: no tests/{names[0]} (or tests/{names[1]})")
    return missing


def test_every_module_has_a_test_file_named_after_it():
    missing = modules_without_tests(ROOT)
    assert not missing, (
        "these modules have no test file named after them (tests/README.md); move their "
        "tests there, or write a small test of what the module does:\n  " + "\n  ".join(missing)
    )


def test_the_test_file_check_finds_a_module_without_its_test_file(tmp_path):
    for name in (
        "plugins/__init__.py",
        "plugins/told.py",
        "plugins/untold.py",
        "preview/server.py",
        "rules/untold.py",
        "engine/cache.py",
        "tests/test_told.py",
        "tests/test_preview_server.py",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    assert modules_without_tests(tmp_path) == [
        "rules/untold.py: no tests/test_untold.py (or tests/test_rules_untold.py)",
        "engine/cache.py: no tests/test_cache.py (or tests/test_engine_cache.py)",
        "plugins/untold.py: no tests/test_untold.py (or tests/test_plugins_untold.py)",
    ]
