"""srtest.layers: the package's imports go one way, down LAYERS. A module may import only
modules of a lower layer (never one of its own layer or above, so no circle can form), and
every module must have a layer. Run by scripts/fuzz-api before anything else; exits 1
naming each offending import, 0 when there is none.

    PYTHONPATH=scripts python3 -m srtest.layers
"""

from __future__ import annotations

import ast
import os
import sys

PACKAGE = "srtest"
LAYERS = (
    ("client", "verdicts", "amounts", "otlp_receiver", "otlp_sink"),
    ("hostile", "fuzz_hooks", "resource_load", "tls_scan", "telemetry"),
    ("fuzz_api",),
)
# Outside the layers: the package marker, and this check, which imports nothing of srtest.
UNLAYERED = ("__init__", "layers")


def imported_modules(tree: ast.AST, modules: set[str]) -> list[tuple[int, str]]:
    """(line, module) for every srtest module the tree imports, anywhere in it. A bare
    `import client` counts too: it would work only through a sys.path trick."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == PACKAGE and len(parts) > 1:
                    found.append((node.lineno, parts[1]))
                elif parts[0] in modules:
                    found.append((node.lineno, parts[0]))
        elif isinstance(node, ast.ImportFrom):
            parts = (node.module or "").split(".") if node.module else []
            if node.level > 0 or (parts and parts[0] == PACKAGE):
                inside = parts[1:] if node.level == 0 else parts
                if inside:
                    found.append((node.lineno, inside[0]))
                else:  # from srtest import x / from . import x
                    found.extend((node.lineno, alias.name) for alias in node.names)
            elif parts and parts[0] in modules:
                found.append((node.lineno, parts[0]))
    return found


def violations(directory: str) -> list[str]:
    rank = {module: level for level, names in enumerate(LAYERS) for module in names}
    files = sorted(name[:-3] for name in os.listdir(directory) if name.endswith(".py"))
    modules = set(files)
    out = [f"{PACKAGE}/{name}.py has no layer in srtest.layers.LAYERS"
           for name in files if name not in rank and name not in UNLAYERED]
    for name in files:
        path = os.path.join(directory, f"{name}.py")
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), path)
        for line, target in imported_modules(tree, modules):
            if name in UNLAYERED:
                out.append(f"{PACKAGE}/{name}.py:{line} imports {target}: {name} must import nothing of {PACKAGE}")
            elif target not in rank or rank[target] >= rank[name]:
                where = "an unlayered module" if target not in rank else (
                    "its own layer" if rank[target] == rank[name] else "a higher layer")
                out.append(f"{PACKAGE}/{name}.py:{line} imports {target}, {where}: imports must go down {LAYERS}")
    return out


def main() -> int:
    found = violations(os.path.dirname(os.path.abspath(__file__)))
    for line in found:
        print(f"srtest.layers: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
