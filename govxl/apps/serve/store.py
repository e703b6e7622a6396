"""The service's records: units, their links, every submission and which ones count.

All SQL lives here, so that a server database could replace SQLite behind the same methods.
One connection, shared by the service's threads under a lock: writes are a few rows per upload,
and SQLite in WAL mode with ``synchronous=FULL`` keeps every committed upload across a crash.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    ukey TEXT NOT NULL UNIQUE,          -- govxl.unitnames.unit_key(name): one unit however it is spelled
    on_roster INTEGER NOT NULL,
    position INTEGER NOT NULL,
    token TEXT,                          -- the department's link; NULL when revoked and not renewed
    token_hash TEXT UNIQUE
);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER REFERENCES units(id),   -- NULL: a file whose unit could not be told
    received TEXT NOT NULL,
    source TEXT NOT NULL,                   -- 单位上传 | 办公室上传
    original_name TEXT NOT NULL,            -- as the browser sent it: shown, never used as a path
    stored TEXT NOT NULL UNIQUE,            -- file name inside 收件/, chosen by the service
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    outcome TEXT NOT NULL,                  -- see workspace.UploadOutcome
    errors INTEGER NOT NULL,
    hints INTEGER NOT NULL,
    unexplained INTEGER NOT NULL,
    cover_unit TEXT NOT NULL,
    findings TEXT NOT NULL                  -- JSON list of Finding.to_json()
);
CREATE TABLE IF NOT EXISTS current (
    unit_id INTEGER NOT NULL REFERENCES units(id),
    submission_id INTEGER NOT NULL UNIQUE REFERENCES submissions(id),
    file_name TEXT NOT NULL UNIQUE          -- inside 报表/: what `govxl merge` reads
);
CREATE TABLE IF NOT EXISTS set_aside (   -- what the service found in 报表/ (or 收件/) and moved, never deleted
    id INTEGER PRIMARY KEY,
    moved TEXT NOT NULL,
    original TEXT NOT NULL,                 -- e.g. 报表/旧版
    kept_as TEXT NOT NULL                   -- e.g. 收件/未登记/1a2b3c4d_旧版
);
CREATE TABLE IF NOT EXISTS placed (       -- every copy the service wrote into 报表/: only those it removes
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (file_name, sha256)
);
CREATE TABLE IF NOT EXISTS aliases (      -- another name of a unit, from a cover a department sent through its link
    ukey TEXT PRIMARY KEY,                  -- govxl.unitnames.unit_key(name)
    name TEXT NOT NULL,                     -- as the cover wrote it
    unit_id INTEGER NOT NULL REFERENCES units(id)
);
CREATE TABLE IF NOT EXISTS office_sessions (
    token_hash TEXT PRIMARY KEY,            -- SHA-256 of the cookie's random value
    expires REAL NOT NULL                   -- seconds since the epoch
);
CREATE INDEX IF NOT EXISTS submissions_unit ON submissions(unit_id, id);
CREATE INDEX IF NOT EXISTS current_unit ON current(unit_id);
"""


@dataclass(frozen=True)
class Unit:
    id: int
    name: str
    ukey: str
    on_roster: bool
    position: int
    token: str | None


@dataclass(frozen=True)
class Submission:
    id: int
    unit_id: int | None
    received: str
    source: str
    original_name: str
    stored: str
    sha256: str
    size: int
    outcome: str
    errors: int
    hints: int
    unexplained: int
    cover_unit: str
    findings_json: str

    @property
    def findings(self) -> list[dict[str, str]]:
        return json.loads(self.findings_json)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class BoardRow:
    unit: Unit
    current: list[Submission]  # more than one: 重复
    count: int  # submissions so far
    last: Submission | None  # the latest submission, counted or not


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _fits(number: int) -> bool:
    """Whether a number from an address can be an id at all (SQLite's are 64-bit; a longer one has no row)."""
    return -(2**63) <= number < 2**63


class Store:
    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside is committed together, or not at all."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _all(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _run(self, sql: str, args: tuple[object, ...] = ()) -> int:
        with self._lock:
            return self._db.execute(sql, args).lastrowid or 0

    # settings

    def setting(self, key: str) -> str | None:
        rows = self._all("SELECT value FROM settings WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_setting(self, key: str, value: str) -> None:
        self._run(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = ?",
            (
                key,
                value,
                value,
            ),
        )

    # office sessions: ended by logging out, and all of them by a new office key

    def add_session(self, digest: str, expires: float) -> None:
        self._run("INSERT INTO office_sessions (token_hash, expires) VALUES (?, ?)", (digest, expires))

    def session_alive(self, digest: str, now: float) -> bool:
        return bool(self._all("SELECT 1 FROM office_sessions WHERE token_hash = ? AND expires > ?", (digest, now)))

    def end_session(self, digest: str) -> None:
        self._run("DELETE FROM office_sessions WHERE token_hash = ?", (digest,))

    def end_sessions(self, now: float | None = None) -> None:
        """Every session (a new office key), or those expired by ``now``."""
        if now is None:
            self._run("DELETE FROM office_sessions")
        else:
            self._run("DELETE FROM office_sessions WHERE expires <= ?", (now,))

    # files moved out of the way

    def add_set_aside(self, moved: str, original: str, kept_as: str) -> None:
        self._run("INSERT INTO set_aside (moved, original, kept_as) VALUES (?, ?, ?)", (moved, original, kept_as))

    def set_aside(self) -> list[tuple[str, str, str]]:
        """(when, what, where it is kept), the latest first."""
        return [
            (str(r[0]), str(r[1]), str(r[2]))
            for r in self._all("SELECT moved, original, kept_as FROM set_aside ORDER BY id DESC")
        ]

    # units

    _UNIT = "SELECT id, name, ukey, on_roster, position, token FROM units"

    @staticmethod
    def _unit(row: tuple[object, ...]) -> Unit:
        return Unit(int(row[0]), str(row[1]), str(row[2]), bool(row[3]), int(row[4]), row[5])  # type: ignore[arg-type]

    def units(self) -> list[Unit]:
        return [self._unit(r) for r in self._all(self._UNIT + " ORDER BY on_roster DESC, position, name")]

    def unit(self, unit_id: int) -> Unit | None:
        if not _fits(unit_id):
            return None
        rows = self._all(self._UNIT + " WHERE id = ?", (unit_id,))
        return self._unit(rows[0]) if rows else None

    def unit_by_key(self, ukey: str) -> Unit | None:
        rows = self._all(self._UNIT + " WHERE ukey = ?", (ukey,))
        return self._unit(rows[0]) if rows else None

    def unit_by_token_hash(self, digest: str) -> Unit | None:
        rows = self._all(self._UNIT + " WHERE token_hash = ?", (digest,))
        return self._unit(rows[0]) if rows else None

    def add_unit(self, name: str, ukey: str, *, on_roster: bool, position: int, token: str | None) -> int:
        return self._run(
            "INSERT INTO units (name, ukey, on_roster, position, token, token_hash) VALUES (?, ?, ?, ?, ?, ?)",
            (name, ukey, int(on_roster), position, token, token_hash(token) if token else None),
        )

    def place_on_roster(self, unit_id: int, name: str, position: int) -> None:
        self._run("UPDATE units SET name = ?, on_roster = 1, position = ? WHERE id = ?", (name, position, unit_id))

    def take_off_roster(self, keep: set[int]) -> None:
        for unit in self.units():
            if unit.on_roster and unit.id not in keep:
                self._run("UPDATE units SET on_roster = 0, position = ? WHERE id = ?", (1_000_000, unit.id))

    def set_token(self, unit_id: int, token: str | None) -> None:
        self._run(
            "UPDATE units SET token = ?, token_hash = ? WHERE id = ?",
            (token, token_hash(token) if token else None, unit_id),
        )

    # other names accepted through a department's link (the roster file itself is the office's: never written)

    def add_alias(self, ukey: str, name: str, unit_id: int) -> None:
        self._run("INSERT OR IGNORE INTO aliases (ukey, name, unit_id) VALUES (?, ?, ?)", (ukey, name, unit_id))

    def aliases(self) -> list[tuple[int, str, str]]:
        """(unit id, other name, its key), in the order they were accepted."""
        return [
            (int(r[0]), str(r[1]), str(r[2]))  # type: ignore[call-overload]
            for r in self._all("SELECT unit_id, name, ukey FROM aliases ORDER BY rowid")
        ]

    def alias_unit(self, ukey: str) -> Unit | None:
        rows = self._all(self._UNIT + " WHERE id = (SELECT unit_id FROM aliases WHERE ukey = ?)", (ukey,))
        return self._unit(rows[0]) if rows else None

    # submissions

    _COLUMNS = (
        "id, unit_id, received, source, original_name, stored, sha256, size, outcome, errors, hints,"
        " unexplained, cover_unit, findings"
    )
    _SUB = f"SELECT {_COLUMNS} FROM submissions"

    @staticmethod
    def _submission(row: tuple[object, ...]) -> Submission:
        return Submission(*row)  # type: ignore[arg-type]

    def add_submission(self, s: Submission) -> int:
        """Record a submission (its ``id`` is ignored); returns the new id."""
        return self._run(
            "INSERT INTO submissions (unit_id, received, source, original_name, stored, sha256, size, outcome,"
            " errors, hints, unexplained, cover_unit, findings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                s.unit_id,
                s.received,
                s.source,
                s.original_name,
                s.stored,
                s.sha256,
                s.size,
                s.outcome,
                s.errors,
                s.hints,
                s.unexplained,
                s.cover_unit,
                s.findings_json,
            ),
        )

    def submission(self, submission_id: int) -> Submission | None:
        if not _fits(submission_id):
            return None
        rows = self._all(self._SUB + " WHERE id = ?", (submission_id,))
        return self._submission(rows[0]) if rows else None

    def history(self, unit_id: int) -> list[Submission]:
        return [self._submission(r) for r in self._all(self._SUB + " WHERE unit_id = ? ORDER BY id DESC", (unit_id,))]

    def unassigned(self) -> list[Submission]:
        return [self._submission(r) for r in self._all(self._SUB + " WHERE unit_id IS NULL ORDER BY id DESC")]

    def stored_names(self) -> set[str]:
        return {str(r[0]) for r in self._all("SELECT stored FROM submissions")}

    def add_placed(self, file_name: str, sha256: str) -> None:
        self._run("INSERT OR IGNORE INTO placed (file_name, sha256) VALUES (?, ?)", (file_name, sha256))

    def was_placed(self, file_name: str, sha256: str) -> bool:
        return bool(self._all("SELECT 1 FROM placed WHERE file_name = ? AND sha256 = ?", (file_name, sha256)))

    def is_known_digest(self, sha256: str) -> bool:
        """Whether a file received had this SHA-256: a file in 报表/ with another one was put there by hand."""
        return bool(self._all("SELECT 1 FROM submissions WHERE sha256 = ? LIMIT 1", (sha256,)))

    def submission_count(self) -> int:
        return int(self._all("SELECT COUNT(*) FROM submissions")[0][0])  # type: ignore[call-overload]

    # what counts

    def set_current(self, unit_id: int, chosen: list[tuple[int, str]]) -> None:
        """The submissions that count for a unit (one, or several: 重复) and their names in 报表/."""
        self._run("DELETE FROM current WHERE unit_id = ?", (unit_id,))
        for submission_id, file_name in chosen:
            self._run(
                "INSERT INTO current (unit_id, submission_id, file_name) VALUES (?, ?, ?)",
                (unit_id, submission_id, file_name),
            )

    def current_files(self) -> list[tuple[str, str]]:
        """(file name in 报表/, stored name in 收件/) of every submission that counts."""
        return [
            (str(r[0]), str(r[1]))
            for r in self._all(
                "SELECT c.file_name, s.stored FROM current c JOIN submissions s ON s.id = c.submission_id"
            )
        ]

    def counted_file(self, file_name: str) -> tuple[str, str] | None:
        """(stored name in 收件/, SHA-256) of the submission that counts under this name in 报表/."""
        rows = self._all(
            "SELECT s.stored, s.sha256 FROM current c JOIN submissions s ON s.id = c.submission_id"
            " WHERE c.file_name = ?",
            (file_name,),
        )
        return (str(rows[0][0]), str(rows[0][1])) if rows else None

    def current_names(self, unit_id: int) -> list[str]:
        """The names in 报表/ of what counts for a unit."""
        return [str(r[0]) for r in self._all("SELECT file_name FROM current WHERE unit_id = ?", (unit_id,))]

    def current(self, unit_id: int) -> list[Submission]:
        return [
            self._submission(r)
            for r in self._all(
                self._SUB + " WHERE id IN (SELECT submission_id FROM current WHERE unit_id = ?) ORDER BY id", (unit_id,)
            )
        ]

    def board(self) -> list[BoardRow]:
        """Every unit with what counts for it: three queries, whatever the number of units."""
        units = self.units()
        counted: dict[int, list[Submission]] = {}
        for r in self._all(self._SUB + " WHERE id IN (SELECT submission_id FROM current) ORDER BY id"):
            s = self._submission(r)
            counted.setdefault(s.unit_id or 0, []).append(s)
        last: dict[int, Submission] = {}
        for r in self._all(
            self._SUB + " WHERE id IN (SELECT MAX(id) FROM submissions WHERE unit_id IS NOT NULL GROUP BY unit_id)"
        ):
            s = self._submission(r)
            last[s.unit_id or 0] = s
        counts = {
            int(r[0]): int(r[1])  # type: ignore[call-overload]
            for r in self._all("SELECT unit_id, COUNT(*) FROM submissions WHERE unit_id IS NOT NULL GROUP BY unit_id")
        }
        return [BoardRow(u, counted.get(u.id, []), counts.get(u.id, 0), last.get(u.id)) for u in units]
