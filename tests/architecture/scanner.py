"""Find the writes in the source tree by reading its AST: what is written, where.

Shared by the owner tests (`test_owners.py` and the ones that follow it): each
keeps its own table of `Rule`s and asserts `violations(rules) == []`.

Every write found is a `Write(path, line, label)`; a rule is a regular
expression over labels plus the files allowed to write them. Labels:

- `create:Model`   `Model.objects.create / bulk_create / get_or_create /
                   update_or_create (...)`, or `Model(...)` built directly;
- `set:Root.field` a `field=` keyword of `.update(...)` or of those creating
                   calls; Root is the model when the call chain starts at one
                   (`Product.objects.filter(...).update(stock=...)`, also
                   through `qs = Product.objects...`), else the object the
                   chain is on (`order.suborders.update(...)` → `suborders`);
- `assign:name.field` `name.field = ...` or `name.field += ...`, name being
                   the last name before the field (`self.order.status` gives
                   `order.status`);
- `save:name.field` `name.save(update_fields=[..., "field"])`;
- `F:field`        `F("field")` anywhere: arithmetic on a column is a write;
- `sql:table`      a string that runs `UPDATE table`, `INSERT INTO table` or
                   `DELETE FROM table`;
- `write:Root.method` any call of a model-writing method (`create`, `update`,
                   `delete`, `save()` without positional arguments, ...), for
                   rules that say a module writes nothing itself;
- `import:module`  an absolute import (`import:unittest.mock`), for rules
                   on what shipped code may not use.

The scan is syntactic: a write through `**kwargs`, `setattr` or a name
bound elsewhere is not seen. Each rule's test plants a probe file to prove
the scanner still sees the patterns it relies on.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The shipped code; tests and benchmarks build their data by hand on purpose.
APPS = (
    "pasar",
    "posdaya",
    "notifications",
    "banksampah",
    "catalog",
    "orders",
    "reviews",
)

CREATING = {"create", "bulk_create", "get_or_create", "update_or_create"}
WRITING = CREATING | {"update", "bulk_update", "delete", "save"}
# Capitalised callables that build a query, not a row.
QUERY_EXPRESSIONS = {"Q", "Value", "When", "Case", "Exists", "Subquery", "OuterRef"}
SQL_WRITE = re.compile(
    r"\b(?:UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+[\"`]?(\w+)", re.IGNORECASE
)


@dataclass(frozen=True)
class Write:
    path: str  # relative to the repository root
    line: int
    label: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.label}"


@dataclass(frozen=True)
class Rule:
    """`labels` (a regex matched whole) may be written only by `owners`.

    `owners` and `scope` are paths relative to the root: a file, or a folder
    ending with "/". `scope` is where the rule looks (default: every app).
    """

    name: str
    labels: str
    owners: tuple[str, ...] = ()
    scope: tuple[str, ...] = tuple(f"{app}/" for app in APPS)

    def applies_to(self, path: str) -> bool:
        return _within(path, self.scope)

    def allows(self, path: str) -> bool:
        return _within(path, self.owners)


def _within(path: str, places) -> bool:
    return any(
        path.startswith(place) if place.endswith("/") else path == place
        for place in places
    )


def source_files(scope=tuple(f"{app}/" for app in APPS)) -> list[Path]:
    """Return the Python files under `scope`, migrations left out."""
    files = set()
    for place in scope:
        target = ROOT / place
        if place.endswith("/"):
            files.update(target.rglob("*.py"))
        elif target.exists():
            files.add(target)
    return sorted(f for f in files if "migrations" not in f.relative_to(ROOT).parts)


def _name_of(node) -> str:
    """Return the last identifier of an expression (`self.order` → "order")."""
    while isinstance(node, ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return "?"


def _root(node, aliases=None) -> str:
    """Return what a call chain starts from: a model, or the object it is on.

    `Product.objects.filter(...)` → "Product"; `order.suborders.filter(...)`
    and `self.order.suborders` → "suborders"; `qs.filter(...)` → "qs", or
    the model when `qs = Model.objects...` was assigned in the same module.
    Methods called along the chain are skipped.
    """
    attributes, called = [], False
    while True:
        if isinstance(node, ast.Call):
            node, called = node.func, True
        elif isinstance(node, ast.Subscript):
            node, called = node.value, False
        elif isinstance(node, ast.Attribute):
            if not called:
                attributes.append(node.attr)
            node, called = node.value, False
        else:
            break
    attributes.reverse()
    base = node.id if isinstance(node, ast.Name) else "?"
    if base == "self" and attributes:
        base, attributes = attributes[0], attributes[1:]
    if base[:1].isupper():
        return base
    attributes = [name for name in attributes if name != "objects"]
    if attributes:
        return attributes[0]
    return (aliases or {}).get(base, base)


def _model_aliases(tree) -> dict[str, str]:
    """Map `name = Model.objects...` (anywhere in the module) to the model."""
    aliases = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Call | ast.Attribute)
        ):
            root = _root(node.value)
            if root[:1].isupper():
                aliases[node.targets[0].id] = root
    return aliases


def _writes_in_tree(tree, path: str) -> list[Write]:
    found = []
    aliases = _model_aliases(tree)

    def add(node, label):
        found.append(Write(path, node.lineno, label))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                if func.id == "F" and node.args:
                    _f_label(node, add)
                elif func.id[:1].isupper() and func.id not in QUERY_EXPRESSIONS:
                    add(node, f"create:{func.id}")
                    for keyword in node.keywords:
                        if keyword.arg:
                            add(node, f"set:{func.id}.{keyword.arg}")
                continue
            if not isinstance(func, ast.Attribute):
                continue
            method = func.attr
            if method == "F" and node.args:
                _f_label(node, add)
                continue
            root = _root(func.value, aliases)
            if method in CREATING:
                add(node, f"create:{root}")
            if method in CREATING or method == "update":
                for keyword in node.keywords:
                    if keyword.arg:
                        add(node, f"set:{root}.{keyword.arg}")
            if method == "save":
                if node.args:  # a file or an image (PIL) saved to a buffer
                    continue
                for keyword in node.keywords:
                    if keyword.arg == "update_fields" and isinstance(
                        keyword.value, ast.List | ast.Tuple
                    ):
                        for element in keyword.value.elts:
                            if isinstance(element, ast.Constant):
                                add(
                                    node, f"save:{_name_of(func.value)}.{element.value}"
                                )
            if method in WRITING:
                add(node, f"write:{root}.{method}")
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for element in ast.walk(target):
                    if isinstance(element, ast.Attribute) and isinstance(
                        element.ctx, ast.Store
                    ):
                        add(node, f"assign:{_name_of(element.value)}.{element.attr}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                add(node, f"import:{alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            add(node, f"import:{node.module}")
            for alias in node.names:
                add(node, f"import:{node.module}.{alias.name}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            for table in SQL_WRITE.findall(node.value):
                add(node, f"sql:{table}")
    return found


def _f_label(node, add):
    first = node.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        add(node, f"F:{first.value.split('__')[0]}")


def writes_in(path: Path) -> list[Write]:
    """Return every write found in one file, in line order."""
    relative = path.relative_to(ROOT).as_posix()
    tree = ast.parse(path.read_text(), filename=str(path))
    return sorted(_writes_in_tree(tree, relative), key=lambda w: (w.line, w.label))


def violations(rules: list[Rule]) -> list[str]:
    """Return "path:line label (rule)" for each write outside its owners."""
    scope = tuple(sorted({place for rule in rules for place in rule.scope}))
    found = []
    for path in source_files(scope):
        relative = path.relative_to(ROOT).as_posix()
        applying = [
            (rule, re.compile(rule.labels))
            for rule in rules
            if rule.applies_to(relative) and not rule.allows(relative)
        ]
        for write in writes_in(path) if applying else []:
            found += [
                f"{write} ({rule.name})"
                for rule, pattern in applying
                if pattern.fullmatch(write.label)
            ]
    return found
