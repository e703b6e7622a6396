"""``govxl serve`` compares its secrets (department tokens, the office key and cookie, CSRF values) in constant
time: read from the code, and seen at run time.

A token compared with ``==`` answers a wrong guess a little sooner the earlier it differs; no test of what the
service answers can see that, so the code itself is read here.
"""

from __future__ import annotations

import ast
import hmac
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from govxl.apps.serve import app as app_module
from govxl.apps.serve import office as office_module
from govxl.apps.serve.app import create_app
from govxl.apps.serve.workspace import Workspace
from tests.servekit import YEAR, csrf, make_return, write_roster

SERVE = Path(app_module.__file__).parent  # the service package, wherever it lives
SECRET = re.compile(r"token|key|csrf|secret|cookie|password|sign", re.IGNORECASE)
# Names that match but hold nothing secret, each with why.
NOT_SECRET = {
    "ukey": "a unit's name, normalised to find the unit: printed on every page",
    "unit_key": "the function that makes a ukey",
    "token_hash": "the SHA-256 of a token: what the records are searched by, not the token",
    "_roster_ukeys": "the roster units' ukeys",
}


def _named(node: ast.AST) -> set[str]:
    out = set()
    for n in ast.walk(node):
        name: str | None = n.id if isinstance(n, ast.Name) else n.attr if isinstance(n, ast.Attribute) else None
        if isinstance(n, ast.Subscript) and isinstance(n.slice, ast.Constant) and isinstance(n.slice.value, str):
            name = n.slice.value  # form["csrf"], request.path_params["token"]
        if name and SECRET.search(name) and name not in NOT_SECRET:
            out.add(name)
    return out


def _plain_comparisons(source: str) -> list[str]:
    """Comparisons by value (==, !=, in) with a side that names a secret; ``is None`` is no comparison of value."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        for op, left, right in zip(node.ops, sides[:-1], sides[1:], strict=True):
            if isinstance(op, (ast.Is, ast.IsNot)):
                continue
            if isinstance(op, (ast.Lt, ast.LtE, ast.Gt, ast.GtE)):
                continue  # an ordering of lengths or counts, not a test of a guess
            names = _named(left) | _named(right)
            if names:
                found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_secret_is_compared_with_equals_in_the_service() -> None:
    problems = []
    for path in sorted(SERVE.glob("*.py")):
        problems += [f"{path.name}:{p}" for p in _plain_comparisons(path.read_text(encoding="utf-8"))]
    assert problems == [], "compare secrets with security.same (hmac.compare_digest)"


def test_the_check_sees_a_secret_compared_with_equals() -> None:
    assert _plain_comparisons("if token == unit.token:\n    pass\n") == ["1: token == unit.token"]
    assert _plain_comparisons("ok = form['csrf'] != expected\n")
    assert _plain_comparisons("ok = key in (self.ws.office_key,)\n")
    assert _plain_comparisons("ok = unit.token is None or len(token) < 32\n") == []


def test_same_is_hmac_compare_digest() -> None:
    """security.same, through which every secret is compared, is hmac.compare_digest and nothing else."""
    tree = ast.parse((SERVE / "security.py").read_text(encoding="utf-8"))
    same = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "same")
    calls = [ast.unparse(n.func) for n in ast.walk(same) if isinstance(n, ast.Call)]
    assert "hmac.compare_digest" in calls
    assert not [n for n in ast.walk(same) if isinstance(n, ast.Compare)]
    assert not [n for n in ast.walk(same) if isinstance(n, (ast.If, ast.BoolOp, ast.IfExp))]  # no short cut


def test_department_tokens_are_looked_up_by_their_hash_then_compared_in_constant_time() -> None:
    """The records are searched by the token's SHA-256 (how long the search takes says nothing about the token);
    the token found is then compared with the one given in constant time."""
    store = (SERVE / "store.py").read_text(encoding="utf-8")
    queries = re.findall(r'"[^"]*\bWHERE\b[^"]*"', store)
    assert any("token_hash = ?" in q for q in queries)
    assert not [q for q in queries if re.search(r"\bWHERE\b.*\btoken\s*(=|IN|LIKE)", q)], "a search by the raw token"
    views = [ast.parse(path.read_text(encoding="utf-8")) for path in sorted(SERVE.glob("*.py"))]
    calls = [n for tree in views for n in ast.walk(tree) if isinstance(n, ast.Call)]
    lookups = [n for n in calls if ast.unparse(n.func).endswith("unit_by_token_hash")]
    assert lookups and all(ast.unparse(n.args[0]).startswith("token_hash(") for n in lookups)


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bytes, bytes]]:
    """Every pair of values hmac.compare_digest is given while the test runs."""
    seen: list[tuple[bytes, bytes]] = []
    real: Callable[..., bool] = hmac.compare_digest

    def spy(a, b) -> bool:  # type: ignore[no-untyped-def]
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    return seen


def test_tokens_keys_cookies_and_csrf_values_reach_compare_digest(tmp_path: Path, compared) -> None:  # type: ignore[no-untyped-def]
    ws = Workspace(tmp_path / "收集", year=YEAR, roster=write_roster(tmp_path))
    client = TestClient(create_app(ws, base_url="http://127.0.0.1:8765"), base_url="http://127.0.0.1")
    try:
        unit = next(u for u in ws.store.units() if u.token)
        assert unit.token is not None

        def given(secret: str) -> bool:
            return any(secret.encode() in (a, b) for a, b in compared)

        page = client.get(f"/u/{unit.token}")
        assert page.status_code == 200 and given(unit.token)  # the department's token
        form = csrf(page.text)
        compared.clear()
        path = make_return(tmp_path / "a.xlsx", unit.name)
        r = client.post(f"/u/{unit.token}/upload", data={"csrf": form}, files={"file": ("a.xlsx", path.read_bytes())})
        assert r.status_code == 200 and given(form)  # the form's CSRF value
        compared.clear()
        assert client.get(f"/login?key={ws.office_key}").status_code == 200 and given(ws.office_key)
        compared.clear()
        hashed: list[str] = []
        real_hash = office_module.token_hash
        office_module.token_hash = lambda value: hashed.append(value) or real_hash(value)  # type: ignore[assignment]
        try:
            assert client.get("/").status_code == 200
        finally:
            office_module.token_hash = real_hash  # type: ignore[assignment]
        cookie = client.cookies.get("govxl_office")
        # the office session cookie: looked up in the records by its SHA-256, as department tokens are
        assert cookie and cookie in hashed
    finally:
        client.close()
        ws.close()
