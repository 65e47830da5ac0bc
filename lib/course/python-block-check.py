"""Checks the Python blocks of the course without running them (run with the pinned runtime's python).

stdin: {"lessons": [{"lesson": str, "blocks": [{"key": str, "module": str, "code": str,
        "kind": "runnable" | "checked" | "fragment", "needs": [str]}]}]}
stdout: [{"key": str, "line": int (1-based, in the block), "message": str}]

fragment: must compile (syntax only).
runnable / checked: must compile; every import must resolve (the installed mcp SDK and other installed
packages are imported and the imported names looked up; a module that is another block of the same lesson
must define the names at its top level); every name the code reads must be bound in the module, by an
import or a builtin. Modules listed in `needs` (and their submodules) are not resolved; the names they bind count as defined.
"""

import ast
import builtins
import importlib
import importlib.util
import json
import symtable
import sys

MODULE_DUNDERS = {"__name__", "__file__", "__doc__", "__spec__", "__loader__", "__package__", "__builtins__",
                  "__annotations__", "__path__"}


def module_bindings(table: symtable.SymbolTable) -> set[str]:
    """Names bound at a module's top level, including `global` declarations assigned in functions."""
    names = {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported() or s.is_namespace()}

    def walk(child: symtable.SymbolTable) -> None:
        for symbol in child.get_symbols():
            if symbol.is_declared_global() and symbol.is_assigned():
                names.add(symbol.get_name())
        for grandchild in child.get_children():
            walk(grandchild)

    for child in table.get_children():
        walk(child)
    return names


def has_star_import(tree: ast.AST) -> bool:
    return any(isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names) for node in ast.walk(tree))


def first_load(tree: ast.AST, name: str) -> int:
    lines = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Name) and node.id == name]
    return min(lines) if lines else 1


def undefined_names(tree: ast.AST, table: symtable.SymbolTable, defined: set[str]) -> list[tuple[int, str]]:
    known = defined | set(dir(builtins)) | MODULE_DUNDERS
    missing: set[str] = set()

    def walk(scope: symtable.SymbolTable, is_module: bool) -> None:
        for symbol in scope.get_symbols():
            if not symbol.is_referenced():
                continue
            name = symbol.get_name()
            if is_module:
                unresolved = name not in known
            else:
                # a name a function or class reads that is neither local nor from an enclosing function
                unresolved = symbol.is_global() and name not in known
            if unresolved:
                missing.add(name)
        for child in scope.get_children():
            walk(child, False)

    walk(table, True)
    return sorted((first_load(tree, name), name) for name in missing)


def is_needed(module: str, needs: set[str]) -> bool:
    """`needs=opentelemetry.sdk` covers opentelemetry.sdk and its submodules, not opentelemetry itself."""
    return any(module == need or module.startswith(f"{need}.") for need in needs)


def resolve_imports(tree: ast.AST, siblings: dict[str, set[str]], needs: set[str]) -> list[tuple[int, str]]:
    problems: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if is_needed(alias.name, needs):
                    continue
                if top in siblings:
                    if alias.name != top:
                        problems.append((node.lineno, f"{alias.name}: blocks are single modules, not packages"))
                    continue
                try:
                    importlib.import_module(alias.name)
                except Exception as exc:  # noqa: BLE001 - any failure to import is the finding
                    problems.append((node.lineno, f"import {alias.name} fails in the pinned runtime: {exc}"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                problems.append((node.lineno, "relative import: a lesson block is a top-level module"))
                continue
            module = node.module or ""
            top = module.split(".")[0]
            if is_needed(module, needs):
                continue
            if top in siblings:
                if module != top:
                    problems.append((node.lineno, f"{module}: blocks are single modules, not packages"))
                    continue
                for alias in node.names:
                    if alias.name != "*" and alias.name not in siblings[top]:
                        problems.append((node.lineno, f"{top} (a block of this lesson) defines no {alias.name}"))
                continue
            try:
                imported = importlib.import_module(module)
            except Exception as exc:  # noqa: BLE001
                problems.append((node.lineno, f"from {module} import ... fails in the pinned runtime: {exc}"))
                continue
            for alias in node.names:
                if alias.name == "*" or hasattr(imported, alias.name):
                    continue
                if importlib.util.find_spec(f"{module}.{alias.name}") is None:
                    problems.append((node.lineno, f"{module} has no {alias.name} in the pinned runtime"))
    return problems


def check_lesson(lesson: dict) -> list[dict]:
    results: list[dict] = []
    parsed: dict[str, tuple[ast.AST, symtable.SymbolTable]] = {}
    for block in lesson["blocks"]:
        try:
            compile(block["code"], block["module"], "exec", dont_inherit=True)
            tree = ast.parse(block["code"], block["module"])
            if block["kind"] != "fragment":
                parsed[block["key"]] = (tree, symtable.symtable(block["code"], block["module"], "exec"))
        except SyntaxError as exc:
            results.append({"key": block["key"], "line": exc.lineno or 1, "message": f"SyntaxError: {exc.msg}"})
    siblings = {
        block["module"].removesuffix(".py"): module_bindings(parsed[block["key"]][1])
        for block in lesson["blocks"]
        if block["key"] in parsed
    }
    for block in lesson["blocks"]:
        if block["key"] not in parsed:
            continue
        tree, table = parsed[block["key"]]
        needs = set(block["needs"])
        for line, message in resolve_imports(tree, siblings, needs):
            results.append({"key": block["key"], "line": line, "message": message})
        if has_star_import(tree):
            continue
        defined = module_bindings(table)
        for line, name in undefined_names(tree, table, defined):
            results.append({"key": block["key"], "line": line, "message": f"undefined name {name}"})
    return results


def main() -> None:
    request = json.load(sys.stdin)
    results: list[dict] = []
    for lesson in request["lessons"]:
        results += check_lesson(lesson)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
