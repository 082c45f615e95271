"""The hand-written _native.pyi matches the compiled extension: every name
the module has is stubbed and every stubbed name exists."""

import ast
import inspect
from pathlib import Path

import wgarray
from wgarray import _native

STUB = Path(wgarray.__file__).with_name("_native.pyi")


def stub_names():
    tree = ast.parse(STUB.read_text())
    funcs, classes = set(), {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            funcs.add(node.name)
        elif isinstance(node, ast.ClassDef):
            classes[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
    return funcs, classes


def test_stub_matches_module():
    funcs, classes = stub_names()
    module_funcs = {n for n, v in vars(_native).items() if callable(v) and not n.startswith("_") and not inspect.isclass(v)}
    module_classes = {n for n, v in vars(_native).items() if inspect.isclass(v)}
    assert module_funcs == funcs
    assert module_classes == set(classes)
    for name, members in classes.items():
        cls = getattr(_native, name)
        have = {n for n in vars(cls) if not n.startswith("_")}
        stubbed = {m for m in members if not m.startswith("_")}
        assert have == stubbed, name
