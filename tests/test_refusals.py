"""Every URL and API operation has at least one test proving an outsider is refused.

Tests declare what they prove with ``@pytest.mark.refused("url-name")``; this test reads those
markers from the test sources, so a new endpoint without a refusal test fails the suite.
"""

import ast
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

TESTS = Path(__file__).parent
# Django's own admin pages share one guard, proven once on its index.
COVERED_BY_ADMIN_INDEX = "admin:"


def url_names(patterns: list[URLPattern | URLResolver], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            names |= url_names(pattern.url_patterns, inner)
        elif pattern.name:
            names.add(namespace + pattern.name)
    return names


def declared_refusals() -> set[str]:
    declared: set[str] = set()
    for path in TESTS.rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "refused":
                declared |= {str(arg.value) for arg in node.args if isinstance(arg, ast.Constant)}
    return declared


def test_every_url_has_a_refusal_test():
    names = url_names(get_resolver().url_patterns)
    required = {name for name in names if not name.startswith(COVERED_BY_ADMIN_INDEX)} | {"admin:index"}
    missing = sorted(required - declared_refusals())
    assert missing == [], f"no @pytest.mark.refused test for: {missing}"


def test_every_declared_refusal_names_a_real_url():
    unknown = sorted(declared_refusals() - url_names(get_resolver().url_patterns))
    assert unknown == []
