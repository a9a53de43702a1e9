"""The administrator's screen: users, roles, passwords, observers' accreditations (art. 23
§2, law 59.11 as amended) and the election's import (a bundle, all or nothing)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from intikhab.formats.rows import ImportRejected
from intikhab.law.errors import IntikhabError
from intikhab.services import queries, transfer, users
from intikhab.web import deps
from intikhab.web.i18n import t
from intikhab.web.pages.common import CSRF, Admin, lang_of, render

router = APIRouter(include_in_schema=False)


@router.get("/admin", response_class=HTMLResponse)
def admin_home(request: Request, principal: Admin, done: str = "") -> Response:
    with deps.read(request) as s:
        rows = queries.users(s)
        constituencies = queries.constituency_ids(s)
    return render(request, "admin.html", principal, rows=rows, roles=users.ROLES,
                  constituencies=constituencies,
                  flash=t("done", lang_of(request)) if done else None, errors=[])


@router.get("/admin/audit", response_class=HTMLResponse)
def admin_audit(request: Request, principal: Admin, actor: str = "", action: str = "",
                page: int = 1) -> Response:
    """The audit log, newest first, 50 a page, filtered by actor and action (the chain's
    integrity is checked by ``intikhab audit verify``)."""
    with deps.read(request) as s:
        rows, total = queries.audit_page(s, actor=actor[:64], action=action[:60], page=page)
        actors = queries.audit_actors(s)
    pages = max(1, -(-total // 50))
    query = urlencode({"actor": actor[:64], "action": action[:60]})
    return render(request, "audit.html", principal, rows=rows, total=total, actors=actors,
                  actor=actor[:64], action=action[:60], page=min(max(page, 1), pages),
                  pages=pages, query=query)


@router.post("/admin/users", dependencies=CSRF)
async def admin_create(request: Request, principal: Admin) -> Response:
    form = await request.form()
    with deps.write(request) as s:
        users.create_user(s, principal.id, str(form.get("id") or "").strip(),
                          str(form.get("name") or "").strip()[:200],
                          str(form.get("role") or ""), str(form.get("password") or ""))
    return RedirectResponse("/admin?done=1", status_code=303)


@router.post("/admin/users/{user:path}", dependencies=CSRF)
async def admin_update(request: Request, principal: Admin, user: str) -> Response:
    """Change a user's role or password, or an observer's accreditations; disable, enable
    or unlock an account (``action``)."""
    form = await request.form()
    action = str(form.get("action") or "")
    with deps.write(request) as s:
        if action in ("disable", "enable"):
            users.set_active(s, principal.id, user, action == "enable")
        elif action == "unlock":
            users.unlock(s, principal.id, user)
        elif "accredit" in form or "accredited" in form:  # the picker (none ticked: none)
            wanted = [w for v in form.getlist("accredited")
                      for w in str(v).replace(",", " ").split()]
            users.accredit(s, principal.id, user, wanted)
        else:
            users.update_user(s, principal.id, user, role=str(form.get("role") or "") or None,
                              password=str(form.get("password") or "") or None)
    return RedirectResponse("/admin?done=1", status_code=303)


@router.post("/admin/import", response_class=HTMLResponse, dependencies=CSRF)
async def admin_import(request: Request, principal: Admin) -> Response:
    """Import an election bundle (JSON, or a .zip of CSV files): territory, constituencies,
    stations, lists, users — all or nothing, every rejected row listed."""
    form = await request.form()
    upload = form.get("bundle")
    if upload is None or isinstance(upload, str):
        raise IntikhabError("E-API-001", field="bundle", detail="a file")
    data = await upload.read()
    suffix = ".zip" if (upload.filename or "").lower().endswith(".zip") else ".json"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"bundle{suffix}"
            path.write_bytes(data)
            with deps.write(request) as s:
                transfer.load_bundle_file(s, path, actor=principal.id)
    except ImportRejected as rejected:
        with deps.read(request) as s:
            rows = queries.users(s)
        return render(request, "admin.html", principal, status=422, rows=rows,
                      roles=users.ROLES, constituencies=[],
                      errors=[str(e) for e in rejected.errors[:50]],
                      flash=f"{rejected.code} {rejected.message(lang_of(request))}",
                      flash_bad=True)
    return RedirectResponse("/admin?done=1", status_code=303)
