"""Every URL and API operation has tests proving outsiders are refused.

Tests declare what they prove with ``@pytest.mark.refused("url-name")``; the personas a test
takes as fixtures (``anonymous``, ``charlie`` the partner, ``roleless``) say who it refuses.
Every URL needs a refusal of an anonymous caller and of a signed-in outsider (a partner or an
account without a role), so a new endpoint without both fails the suite.
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


# Pages everyone may reach by design: their tests prove they reveal nothing, not that they refuse.
PUBLIC = {"web:login", "web:logout"}
SIGNED_IN_OUTSIDERS = {"charlie", "roleless"}


def refusals_by_url() -> dict[str, set[str]]:
    """URL name -> the personas that tests marked ``refused`` for it take as fixtures."""
    found: dict[str, set[str]] = {}
    for path in TESTS.rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef):
                continue
            personas = {argument.arg for argument in node.args.args}
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and getattr(decorator.func, "attr", "") == "refused":
                    for argument in decorator.args:
                        if isinstance(argument, ast.Constant):
                            found.setdefault(str(argument.value), set()).update(personas)
    return found


def declared_refusals() -> set[str]:
    return set(refusals_by_url())


def test_every_url_refuses_anonymous_callers_and_outsiders():
    names = url_names(get_resolver().url_patterns)
    required = {name for name in names if not name.startswith(COVERED_BY_ADMIN_INDEX)} | {"admin:index"}
    declared = refusals_by_url()
    missing_anonymous = sorted(n for n in required - PUBLIC if "anonymous" not in declared.get(n, set()))
    missing_outsider = sorted(n for n in required - PUBLIC if not declared.get(n, set()) & SIGNED_IN_OUTSIDERS)
    assert missing_anonymous == [], f"no refusal of an anonymous caller for: {missing_anonymous}"
    assert missing_outsider == [], f"no refusal of a partner or role-less account for: {missing_outsider}"


def test_every_url_has_a_refusal_test():
    names = url_names(get_resolver().url_patterns)
    required = {name for name in names if not name.startswith(COVERED_BY_ADMIN_INDEX)} | {"admin:index"}
    missing = sorted(required - declared_refusals())
    assert missing == [], f"no @pytest.mark.refused test for: {missing}"


def test_every_declared_refusal_names_a_real_url():
    unknown = sorted(declared_refusals() - url_names(get_resolver().url_patterns))
    assert unknown == []
