"""Imports run one way: base → posdaya → notifications → banksampah → catalog →
orders → reviews → site.

Every import statement of every module is read from the source (also the ones
inside functions, and `importlib.import_module("…")` calls), so a lazy import
of a higher layer fails here just like a top-level one.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Lowest first. A module may import its own layer and the ones before it.
LAYERS = [
    "pasar",
    "posdaya",
    "notifications",
    "banksampah",
    "catalog",
    "orders",
    "reviews",
    "pasar.site",
]


def layer_of(module: str) -> str | None:
    """Return the layer a dotted module name belongs to (None: not ours)."""
    if module == "pasar.site" or module.startswith("pasar.site."):
        return "pasar.site"
    top = module.split(".")[0]
    return top if top in LAYERS else None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Return (line, dotted name) of everything `path` imports."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((node.lineno, name))
            # `from pasar import site` imports the package pasar.site.
            found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def source_files(layer: str) -> list[Path]:
    folder = ROOT / layer.replace(".", "/")
    files = sorted(folder.rglob("*.py"))
    if layer == "pasar":
        site = ROOT / "pasar" / "site"
        files = [f for f in files if site not in f.parents]
    return files


def violations(layer: str) -> list[str]:
    rank = LAYERS.index(layer)
    found = []
    for path in source_files(layer):
        for line, name in imported_modules(path):
            other = layer_of(name)
            if other is not None and LAYERS.index(other) > rank:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return found


@pytest.mark.parametrize("layer", LAYERS)
def test_no_layer_imports_a_higher_one(layer):
    assert violations(layer) == []


def test_the_check_sees_lazy_imports():
    """A function-level import of a higher app is caught (the test can fail)."""
    fake = ROOT / "posdaya" / "_layer_probe.py"
    fake.write_text(
        "def f():\n    from orders.models import Order\n    return Order\n"
        "def g():\n    import importlib\n"
        "    return importlib.import_module('catalog')\n"
    )
    try:
        assert violations("posdaya") == [
            "posdaya/_layer_probe.py:2 imports orders.models",
            "posdaya/_layer_probe.py:2 imports orders.models.Order",
            "posdaya/_layer_probe.py:6 imports catalog",
        ]
    finally:
        fake.unlink()


def test_every_app_folder_is_in_a_layer():
    apps = {
        p.parent.name
        for p in ROOT.glob("*/apps.py")
        if p.parent.name not in {"benchmarks", "tests"}
    }
    assert apps == {
        "pasar",
        "posdaya",
        "notifications",
        "banksampah",
        "catalog",
        "orders",
        "reviews",
    }
    assert (ROOT / "pasar" / "site" / "apps.py").exists()
