"""The shape of the code base holds: app layers, no imports hidden in functions, small modules."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("lms", "config")
MAX_LINES = 400

# The only places an import may sit inside a function, and why:
ALLOWED_FUNCTION_IMPORTS = {
    # `AppConfig.ready()` is where a higher app fills a lower app's registries; apps.py
    # itself is imported before the models are loaded, so it cannot import them at the top.
    ("apps.py", "ready"),
}


def _application_modules() -> list[Path]:
    """Every .py of the application code (tests and migrations are not application code)."""
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts)
    )


def _imports_inside_functions(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if (path.name, node.name) in ALLOWED_FUNCTION_IMPORTS:
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Import | ast.ImportFrom):
                where = f"{path.relative_to(ROOT)}:{inner.lineno}"
                found.append(f"{where} in {node.name}(): {ast.unparse(inner)}")
    return found


def test_the_application_code_is_found():
    modules = {str(path.relative_to(ROOT)) for path in _application_modules()}

    assert "lms/courses/access.py" in modules
    assert "config/settings.py" in modules
    assert not any("/tests/" in name or "/migrations/" in name for name in modules)


def test_no_module_imports_inside_a_function():
    # An import inside a function hides a dependency from the layer contract (it is how
    # cycles were dodged); a lower app learns from a higher one through a registry instead.
    offenders = [
        line for path in _application_modules() for line in _imports_inside_functions(path)
    ]

    assert offenders == []


def test_no_module_is_over_400_lines():
    # Tests count too; migrations are generated, so they do not.
    modules = [
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    ]
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in modules
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }

    assert too_long == {}


def test_the_import_contracts_hold():
    lint_imports = Path(sys.executable).parent / "lint-imports"

    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr
