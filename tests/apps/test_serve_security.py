"""The obvious attacks on ``govxl serve``: other tokens, no token, path tricks, big and hostile files,
cross-site posts."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import unquote

import pytest
from starlette.testclient import TestClient

from govxl.apps.serve.app import create_app
from govxl.apps.serve.security import CSP
from govxl.apps.serve.workspace import UploadOutcome, Workspace
from tests.servekit import ROOT, YEAR, csrf, make_return, write_roster


@pytest.fixture
def service(tmp_path: Path):  # type: ignore[no-untyped-def]
    ws = Workspace(tmp_path / "收集", year=YEAR, roster=write_roster(tmp_path))
    client = TestClient(create_app(ws, base_url="http://127.0.0.1:8765", max_upload_mb=1), base_url="http://127.0.0.1")
    yield ws, client, tmp_path
    client.close()
    ws.close()


def tokens(ws: Workspace) -> dict[str, str]:
    return {u.name: u.token for u in ws.store.units() if u.token}


def post_return(client: TestClient, token: str, form_token: str, path: Path, name: str = "a.xlsx", **kw):  # type: ignore[no-untyped-def]
    return client.post(f"/u/{token}/upload", data={"csrf": form_token}, files={"file": (name, path.read_bytes())}, **kw)


def test_tokens_are_long_random_and_each_page_shows_its_own_unit_only(service) -> None:
    ws, client, tmp = service
    links = tokens(ws)
    assert len(set(links.values())) == len(links) and all(len(t) >= 32 for t in links.values())  # 192 bits
    a, b = links["区财政局"], links["区教育局"]
    post_return(client, a, csrf(client.get(f"/u/{a}").text), make_return(tmp / "a.xlsx", "区财政局"))
    page_b = client.get(f"/u/{b}").text
    assert "区教育局" in page_b and "区财政局" not in page_b and "a.xlsx" not in page_b
    # A's form token does not work on B's page, and A cannot post as B without B's token
    r = post_return(client, b, csrf(client.get(f"/u/{a}").text), make_return(tmp / "b.xlsx", "区教育局"))
    assert r.status_code == 403
    assert ws.store.history(ws.store.unit_by_key("区教育局").id) == []  # type: ignore[union-attr]
    # a department's link opens nothing of the office
    assert client.get("/", follow_redirects=False).status_code == 303
    assert client.get("/download/merged", follow_redirects=False).status_code == 303
    assert client.get("/file/1", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    "path",
    [
        "/u/",
        "/u/x",
        "/u/" + "A" * 32,
        "/u/%2e%2e",
        "/u/../unit/1",
        "/unit/1",
        "/file/1",
        "/download/merged",
        "/download/..%2f..%2fgovxl.sqlite",
        "/static/../govxl.sqlite",
        "/static/..%2f..%2fapp.py",
        "/static/%2e%2e%2f%2e%2e%2fgovxl.sqlite",
        "/file/1/../../govxl.sqlite",
        "/u/x/template",
    ],
)
def test_no_token_a_wrong_token_and_path_tricks_get_nothing(service, path: str) -> None:
    _, client, _ = service
    r = client.get(path, follow_redirects=False)
    assert r.status_code in (303, 404), (path, r.status_code)
    assert b"SQLite" not in r.content and b"import" not in r.content


def test_a_revoked_link_stops_working_and_a_new_one_works(service) -> None:
    ws, client, _ = service
    old = tokens(ws)["区财政局"]
    client.get(f"/login?key={ws.office_key}")
    unit = ws.store.unit_by_key("区财政局")
    assert unit is not None
    form = csrf(client.get(f"/unit/{unit.id}").text)
    assert client.post(f"/unit/{unit.id}/link", data={"csrf": form, "action": "renew"}).status_code == 200
    new = tokens(ws)["区财政局"]
    assert new != old and client.get(f"/u/{old}").status_code == 404 and client.get(f"/u/{new}").status_code == 200
    client.post(f"/unit/{unit.id}/link", data={"csrf": form, "action": "revoke"})
    assert client.get(f"/u/{new}").status_code == 404


def test_the_office_needs_its_key(service) -> None:
    ws, client, _ = service
    assert client.get("/login?key=wrong").status_code == 403
    near = ws.office_key[:-1] + ("y" if ws.office_key.endswith("x") else "x")  # one character off, never the key
    assert client.post("/login", data={"key": near}).status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 303
    assert client.post("/login", data={"key": ws.office_key}).status_code == 200
    assert "各单位报送情况" in client.get("/").text


def test_cross_site_posts_and_posts_without_the_form_token_are_refused(service) -> None:
    ws, client, tmp = service
    t = tokens(ws)["区财政局"]
    good = csrf(client.get(f"/u/{t}").text)
    path = make_return(tmp / "a.xlsx", "区财政局")
    assert post_return(client, t, "", path).status_code == 403
    assert post_return(client, t, good, path, headers={"Origin": "http://evil.example"}).status_code == 403
    assert post_return(client, t, good, path, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert post_return(client, t, good, path, headers={"Sec-Fetch-Site": "same-site"}).status_code == 403
    client.get(f"/login?key={ws.office_key}")
    office = csrf(client.get("/").text)
    files = [("files", ("a.xlsx", path.read_bytes()))]
    assert (
        client.post(
            "/upload", data={"csrf": office}, files=files, headers={"Origin": "http://evil.example"}
        ).status_code
        == 403
    )
    assert client.post("/upload", data={"csrf": "x"}, files=files).status_code == 403
    assert client.post("/logout", data={}, headers={"Origin": "http://evil.example"}).status_code == 403
    assert (
        client.post("/login", data={"key": ws.office_key}, headers={"Origin": "http://evil.example"}).status_code == 403
    )
    assert ws.store.submission_count() == 0
    assert post_return(client, t, good, path, headers={"Origin": "http://127.0.0.1"}).status_code == 200
    assert ws.store.submission_count() == 1


def test_oversized_uploads_are_refused_before_they_are_read(service) -> None:
    ws, client, _ = service
    t = tokens(ws)["区财政局"]
    big = b"PK\x03\x04" + b"0" * (2 * 1024 * 1024)
    r = client.post(
        f"/u/{t}/upload", data={"csrf": csrf(client.get(f"/u/{t}").text)}, files={"file": ("big.xlsx", big)}
    )
    assert r.status_code == 413 and "过大" in r.text
    assert ws.store.submission_count() == 0 and not list(ws.partial.iterdir())


def _body_without_length():  # type: ignore[no-untyped-def]
    for _ in range(40):
        yield b"x" * 65536


def test_a_body_without_a_length_is_counted_as_it_arrives(service) -> None:
    ws, client, _ = service
    t = tokens(ws)["区财政局"]
    r = client.post(
        f"/u/{t}/upload", content=_body_without_length(), headers={"content-type": "multipart/form-data; boundary=x"}
    )
    assert r.status_code == 413


@pytest.mark.parametrize(
    "name", ["zip_bomb.xlsx", "entity.xlsx", "external_entity.xlsx", "million_rows.xlsx", "truncated.xlsx"]
)
def test_hostile_files_are_refused_like_merge_refuses_them_and_quickly(service, name: str) -> None:
    ws, client, _ = service
    t = tokens(ws)["区财政局"]
    start = time.perf_counter()
    r = post_return(client, t, csrf(client.get(f"/u/{t}").text), ROOT / "tests" / "corpus" / name, name=name)
    assert r.status_code == 200 and time.perf_counter() - start < 5
    (s,) = ws.store.history(ws.store.unit_by_key("区财政局").id)  # type: ignore[union-attr]
    assert s.outcome == UploadOutcome.UNREADABLE and s.errors >= 1
    assert "无法读取" in r.text


def test_a_file_name_is_never_a_path_and_text_is_never_markup(service) -> None:
    ws, client, tmp = service
    t = tokens(ws)["区财政局"]
    path = make_return(tmp / "a.xlsx", "区财政局")
    for name in ("../../../逃逸.xlsx", "..\\..\\逃逸.xlsx", "/etc/passwd", "<img src=x onerror=alert(1)>.xlsx"):
        post_return(client, t, csrf(client.get(f"/u/{t}").text), path, name=name)
    assert not list(tmp.rglob("逃逸.xlsx")) and not (tmp.parent / "逃逸.xlsx").exists()
    # every copy lands in the folders the service keeps returns in, never where a name pointed (searched
    # recursively over the whole test folder: a name that made a sub-folder or climbed out is seen)
    stored = [q for q in tmp.rglob("*") if q.is_file() and q.suffix == ".xlsx" and q != path]
    assert any(q.parent == ws.received for q in stored), stored  # the uploads were stored: the search saw them
    assert {q.parent for q in stored} <= {ws.received, ws.current}, stored
    assert not any(sep in q.name for q in stored for sep in ("/", "\\", "..")), stored
    page = client.get(f"/u/{t}").text
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;.xlsx" in page
    # a unit whose cover says <script> is shown as text on the office board
    client.get(f"/login?key={ws.office_key}")
    evil = make_return(tmp / "e.xlsx", "<script>alert(2)</script>局")
    client.post("/upload", data={"csrf": csrf(client.get("/").text)}, files=[("files", ("e.xlsx", evil.read_bytes()))])
    board = client.get("/").text
    assert "<script>alert(2)" not in board and "&lt;script&gt;alert(2)" in board
    assert all(p.parent == ws.current for p in ws.current.rglob("*"))


def test_every_response_carries_a_strict_policy_and_no_referrer(service) -> None:
    ws, client, _ = service
    for path in ("/login", "/u/nothing", f"/u/{tokens(ws)['区财政局']}", "/static/app.css"):
        r = client.get(path)
        assert r.headers["content-security-policy"] == CSP and "'unsafe-inline'" not in CSP
        assert r.headers["referrer-policy"] == "same-origin" and r.headers["x-frame-options"] == "DENY"
    page = client.get(f"/u/{tokens(ws)['区财政局']}").text
    assert "http://" not in page.replace("http://127.0.0.1", "") and "https://" not in page  # every asset local
    css = client.get("/static/app.css").text
    assert "url(" not in css and "@import" not in css


def test_on_the_loopback_address_other_host_names_are_refused(service) -> None:
    _, client, _ = service
    assert client.get("/login", headers={"host": "evil.example"}).status_code == 421
    assert client.get("/login", headers={"host": "localhost:8765"}).status_code == 200


def test_every_refusal_is_a_page_in_chinese(service) -> None:
    ws, client, _ = service
    english = ("Not Found", "Method Not Allowed", "Maximum", "boundary", "Too many")
    t = tokens(ws)["区财政局"]
    form = csrf(client.get(f"/u/{t}").text)
    two = [("file", ("a.xlsx", b"PK\x03\x04a")), ("file", ("b.xlsx", b"PK\x03\x04b"))]
    r = client.post(f"/u/{t}/upload", data={"csrf": form}, files=two)
    assert r.status_code == 400 and "每次只能上传一个文件" in r.text and f'href="/u/{t}"' in r.text
    r = client.post(f"/u/{t}/upload", content=b"--x\r\n", headers={"content-type": "multipart/form-data"})
    assert r.status_code == 400 and "上传的内容不完整或格式不正确" in r.text
    answers = [r, client.get("/nowhere"), client.get("/unit/x"), client.get(f"/u/{t}/upload"), client.get("/logout")]
    assert [a.status_code for a in answers] == [400, 404, 404, 405, 405]
    assert "找不到该页面" in answers[1].text and "不能直接打开" in answers[3].text
    assert answers[4].headers["allow"] == "POST"
    client.get(f"/login?key={ws.office_key}")
    files = [("files", (f"{i}.xlsx", b"x")) for i in range(501)]
    r = client.post("/upload", data={"csrf": csrf(client.get("/").text)}, files=files)
    assert r.status_code == 400 and "一次最多上传 500 个文件，请分批上传" in r.text
    assert ws.store.submission_count() == 0
    for a in [*answers, r]:
        assert a.headers["content-type"].startswith("text/html") and "<h1>" in a.text
        assert not any(word in a.text for word in english), a.text


@pytest.mark.parametrize(
    "path",
    ["/unit/99999999999999999999999", "/file/99999999999999999999999", "/unit/99999999999999999999999/template"],
)
def test_a_number_too_big_for_an_id_is_not_found(service, path: str) -> None:
    ws, client, _ = service
    client.get(f"/login?key={ws.office_key}")
    r = client.get(path)  # the test client raises any error the service meets
    assert r.status_code == 404 and "找不到" in r.text


def test_a_unit_taken_off_the_roster_loses_its_link(service) -> None:
    ws, client, tmp = service
    old = tokens(ws)["区司法局"]
    assert client.get(f"/u/{old}").status_code == 200
    folder = ws.folder
    ws.close()
    roster = tmp / "新名单.txt"
    roster.write_text("区财政局\n区教育局\n区民政局\n", encoding="utf-8")
    again = Workspace(folder, roster=roster)
    try:
        client = TestClient(create_app(again, base_url="http://127.0.0.1:8765"), base_url="http://127.0.0.1")
        for r in (client.get(f"/u/{old}"), client.get(f"/u/{old}/template")):
            assert r.status_code == 404 and "已停用" in r.text
        r = post_return(client, old, "x", make_return(tmp / "a.xlsx", "区司法局"))
        assert r.status_code == 404 and again.store.submission_count() == 0
        assert client.get(f"/u/{tokens(again)['区财政局']}").status_code == 200
    finally:
        again.close()


def test_logging_out_ends_the_session_for_good(service) -> None:
    ws, client, _ = service
    client.get(f"/login?key={ws.office_key}")
    kept = client.cookies.get("govxl_office")
    assert kept and client.get("/", follow_redirects=False).status_code == 200
    assert client.post("/logout", data={"csrf": csrf(client.get("/").text)}).status_code == 200
    client.cookies.set("govxl_office", kept)  # a copy of the cookie kept from before
    assert client.get("/", follow_redirects=False).status_code == 303
    assert client.get("/download/merged", follow_redirects=False).status_code == 303


def test_a_new_office_key_ends_every_office_session(service) -> None:
    ws, client, _ = service
    other = TestClient(client.app, base_url="http://127.0.0.1")
    old_key = ws.office_key
    for c in (client, other):
        c.get(f"/login?key={old_key}")
        assert c.get("/", follow_redirects=False).status_code == 200
    r = client.post("/key", data={"csrf": csrf(client.get("/").text)})
    assert r.status_code == 200 and "办公室口令已更换" in r.text
    assert ws.office_key != old_key and f"/login?key={ws.office_key}" in r.text
    assert other.get("/", follow_redirects=False).status_code == 303  # the other browser is logged out
    assert client.get("/", follow_redirects=False).status_code == 200  # the one that changed it has the new key
    assert other.get(f"/login?key={old_key}").status_code == 403
    assert other.get(f"/login?key={ws.office_key}").status_code == 200
    assert (
        client.post("/key", data={"csrf": "x"}).status_code == 403 and ws.store.setting("office_key") == ws.office_key
    )
    # from the command line, at the next start: every session ends
    folder = ws.folder
    ws.close()
    again = Workspace(folder)
    try:
        again.new_office_key()
        fresh = TestClient(create_app(again, base_url="http://127.0.0.1:8765"), base_url="http://127.0.0.1")
        fresh.cookies = other.cookies
        assert fresh.get("/", follow_redirects=False).status_code == 303
    finally:
        again.close()


def _raw_upload(client: TestClient, token: str, name: str, data: bytes):  # type: ignore[no-untyped-def]
    """A form as a client other than a browser may send it: the file name's quote unescaped by percent-encoding."""
    head = (
        f'--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf(client.get(f"/u/{token}").text)}\r\n'
        f'--b\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n\r\n'
    )
    body = head.encode() + data + b"\r\n--b--\r\n"
    return client.post(f"/u/{token}/upload", content=body, headers={"content-type": "multipart/form-data; boundary=b"})


def test_a_file_name_with_quotes_or_bidirectional_controls_is_shown_and_downloaded_safely(service) -> None:
    ws, client, tmp = service
    t = tokens(ws)["区财政局"]
    path = make_return(tmp / "a.xlsx", "区财政局")
    post_return(client, t, csrf(client.get(f"/u/{t}").text), path, name="区财政局年报\u202exslx.exe\u2066.xlsx")
    assert _raw_upload(client, t, '年报.x\\"lsx', path.read_bytes()).status_code == 200
    page = client.get(f"/u/{t}").text
    assert not any(c in page for c in "\u202e\u2066\u200f")
    assert "区财政局年报xslx.exe.xlsx" in page and "年报.x&#34;lsx" in page
    client.get(f"/login?key={ws.office_key}")
    unit = ws.store.unit_by_key("区财政局")
    assert unit is not None
    assert "\u202e" not in client.get(f"/unit/{unit.id}").text
    quoted, bidi = ws.store.history(unit.id)
    assert quoted.original_name == '年报.x"lsx'
    for s, fallback, real in ((bidi, "govxl.xlsx", "区财政局年报xslx.exe.xlsx"), (quoted, "govxl", '年报.x"lsx')):
        r = client.get(f"/file/{s.id}")
        disposition = r.headers["content-disposition"]
        assert r.status_code == 200 and disposition.count('"') == 2, disposition
        assert f'filename="{fallback}";' in disposition and unquote(disposition.split("''", 1)[1]) == real
