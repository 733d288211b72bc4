"""The templates installed in the store: every version kept, the newest one offered.

A version never changes once installed, because reports already made against it must keep
meaning what they meant; parsed templates are therefore cached for the life of the workspace.
"""

from __future__ import annotations

import json
from pathlib import Path

from desktop_app.core.clock import now
from desktop_app.core.errors import CoreError
from desktop_app.core.reports.records import audit
from desktop_app.core.reports.templates import (
    Template,
    TemplateError,
    load_template_bytes,
    load_template_file,
)
from desktop_app.core.store.database import write_transaction
from desktop_app.core.store.live import LiveStore


class InstalledTemplates:
    def __init__(self, live: LiveStore) -> None:
        self._live = live
        self._parsed: dict[tuple[str, int], Template] = {}

    def install_file(self, path: Path) -> Template:
        return self.install(load_template_file(path), source=path.name)

    def install(self, template: Template, source: str = "") -> Template:
        """Install a template version; the same version with other content is refused."""
        db = self._live.db
        # The check inside the write lock: two installs at once (two windows, two processes)
        # take turns, and the second finds the first's row instead of colliding with it.
        with write_transaction(db):
            existing = db.execute(
                "SELECT content_hash FROM templates WHERE id=? AND version=?",
                [template.id, template.version],
            ).fetchone()
            if existing and existing[0] != template.content_hash:
                raise CoreError(
                    "template.version_conflict", id=template.id, version=template.version
                )
            if existing:
                return template
            db.table("templates").insert(
                {
                    "id": template.id,
                    "version": template.version,
                    "title": template.title,
                    "period_type": template.period_type,
                    "content_hash": template.content_hash,
                    "body": json.dumps(template.raw, ensure_ascii=False),
                    "installed_at": now().isoformat(timespec="seconds"),
                    "source": source,
                }
            )
            audit(
                db,
                self._live.actor,
                "template.installed",
                new_value=f"{template.id}@{template.version}",
            )
        return template

    def newest(self) -> list[Template]:
        """The newest installed version of each template, by title."""
        rows = self._live.db.execute(
            "SELECT id, MAX(version) FROM templates GROUP BY id ORDER BY title"
        ).fetchall()
        return [self.get(template_id, version) for template_id, version in rows]

    def get(self, template_id: str, version: int | None = None) -> Template:
        """One installed version; without ``version`` the newest."""
        if version is None:
            version = self._newest_version(template_id)
        key = (template_id, version)
        if key not in self._parsed:
            self._parsed[key] = self._load(template_id, version)
        return self._parsed[key]

    def get_or_none(self, template_id: str, version: int) -> Template | None:
        try:
            return self.get(template_id, version)
        except CoreError:
            return None

    def forget_parsed(self) -> None:
        """After a restore or a configuration package the store may hold other versions."""
        self._parsed.clear()

    def _newest_version(self, template_id: str) -> int:
        row = self._live.db.execute(
            "SELECT MAX(version) FROM templates WHERE id=?", [template_id]
        ).fetchone()
        if row is None or row[0] is None:
            raise CoreError("template.not_installed", id=template_id)
        return int(row[0])

    def _load(self, template_id: str, version: int) -> Template:
        row = self._live.db.execute(
            "SELECT body FROM templates WHERE id=? AND version=?", [template_id, version]
        ).fetchone()
        if row is None:
            raise CoreError("template.not_installed", id=template_id)
        try:
            source = f"{template_id}@{version}"
            return load_template_bytes(row[0].encode("utf-8"), source, stored=True)
        except TemplateError as error:
            raise CoreError("template.damaged", id=template_id, reason=error.reason) from error
