"""The work folder: every file as received, the returns that count, and the records of both.

::

    工作文件夹/
      govxl.sqlite        every submission: unit, time, hash, findings, which ones count (store.py)
      govxl.lock          locked by the running service, so that a second one on the folder is refused
      单位名单.txt         the roster, copied in at the first start (or .xlsx/.csv, as given); never written to
      汇总名单.csv         the roster merge is given: its units with their other names, the roster's own and those
                          accepted through a department's link (``govxl merge 工作文件夹/报表 --roster`` this)
      收件/000001.xlsx     each file exactly as received, named by the service (never by a request)
      报表/区财政局.xlsx   a copy of each unit's submission that counts: ``govxl merge 工作文件夹/报表`` reads it
      单位报送链接.xlsx    each unit's link, for the clerk to send out

An upload is written to ``收件/.未完成/`` and synced, moved into ``收件/`` under a fresh name, checked (side
by side with other uploads), and recorded in one transaction, after the uploads for its unit that arrived
before it; only then is the copy in ``报表/`` replaced (by another thread that holds ``报表/`` at the time, if
one does) and the answer sent.
A crash at any point leaves either no record (the file is set aside at the next start, never counted) or
a record whose ``报表/`` copy the next start puts right.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
import re
import secrets
import shutil
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from govxl.apps.serve.checking import Checked, Checker, Read, check_received
from govxl.apps.serve.store import Store, Submission, Unit
from govxl.editions.rules import Severity
from govxl.errors import OutputError, UsageError
from govxl.io import atomic_output, inside, safe_file_stem
from govxl.merge import CHINA
from govxl.read.inbox import is_system_file, not_read_findings, sort_received
from govxl.read.roster import (
    ALIAS_COLUMN,
    ALIAS_SEPARATOR,
    NAME_COLUMN,
    is_name,
    near_miss,
    read_roster,
    unit_key,
)
from govxl.results.findings import ALIAS, MIXED, NEAR_NAME, UNFILLED, UNREADABLE, WRONG_EDITION, Finding
from govxl.results.roster import Roster, RosterProblem

log = logging.getLogger("govxl.apps.serve")

DATABASE = "govxl.sqlite"
LOCK = "govxl.lock"  # held by the running service: a second one on the same folder is refused
RECEIVED = "收件"
PARTIAL = ".未完成"
SET_ASIDE = "未登记"
CURRENT = "报表"
ROSTER = "单位名单"
MERGE_ROSTER = "汇总名单.csv"
LINKS = "单位报送链接.xlsx"
DEFAULT_NAME = "汇总"
TOKEN_BYTES = 24  # 192 bits
_SUFFIX = re.compile(r"^\.[a-z0-9]{1,5}$")


class UploadOutcome:
    """What became of an upload (a submission); the status board shows the same words."""

    ACCEPTED = "已报"
    ERRORS = "有错误"
    EXPLAINED = "已说明"
    UNREADABLE = "无法读取"
    DUPLICATE = "重复"
    OTHER_UNIT = "单位不符"  # a department sent another unit's return: recorded, never counted
    NOT_READ = "不是报表"  # a letter, a scan, a photo: recorded and kept, never counted (merge's 提示 Z2)
    MISSING = "缺报"


STATUSES = (
    UploadOutcome.ACCEPTED,
    UploadOutcome.MISSING,
    UploadOutcome.ERRORS,
    UploadOutcome.EXPLAINED,
    UploadOutcome.UNREADABLE,
    UploadOutcome.DUPLICATE,
)


class Source:
    DEPARTMENT = "单位上传"
    OFFICE = "办公室上传"


@dataclass
class Incoming:
    """An uploaded file written to 收件/.未完成/ and synced, not yet recorded."""

    path: Path
    original_name: str
    sha256: str
    size: int


@dataclass
class Intake:
    submission: Submission
    unit: Unit | None
    counted: bool  # whether it is now what counts for its unit
    earlier_counts: bool = False  # not usable as a return: what counted for its unit still does


@dataclass
class Received:
    """What became of files received together."""

    intakes: list[Intake]
    ignored: list[str]  # lock and system files (``~$区财政局.xlsx``), as merge ignores them: said, never recorded


def default_year() -> int:
    """The year reported on when none is given: the last one."""
    return datetime.now(CHINA).year - 1


def now_text() -> str:
    return datetime.now(CHINA).strftime("%Y-%m-%d %H:%M:%S")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class OutOfStep(UsageError):
    """报表/ cannot be made to hold what the records say counts (a file open in Excel, a folder that cannot move)."""


def _why(e: BaseException) -> str:
    cause = e.__cause__ if isinstance(e, OutputError) and isinstance(e.__cause__, OSError) else e
    if isinstance(cause, PermissionError) or getattr(cause, "winerror", None) in (32, 33):
        return "文件正在 Excel 或 WPS 中打开，或者没有写入权限"
    return "无法读写该文件"


class FolderLock:
    """The work folder held by one service: an OS lock on ``govxl.lock``, released when the process ends,
    however it ends (``flock`` on Linux and macOS, ``msvcrt.locking`` on Windows)."""

    def __init__(self, path: Path) -> None:
        self._file = open(path, "a+b")  # noqa: SIM115 - held open for the service's life
        try:
            _lock_file(self._file.fileno())
        except OSError:
            self._file.close()
            raise UsageError(in_use_message(path.parent)) from None

    def release(self) -> None:
        if self._file.closed:
            return
        try:
            _unlock_file(self._file.fileno())
        finally:
            self._file.close()


def in_use_message(folder: Path) -> str:
    return (
        f"工作文件夹 {folder} 正由另一个 govxl 报表收集服务使用，不能同时启动两个服务。"
        "请使用已经启动的服务（查看启动它的命令行窗口），或先在那个窗口按 Ctrl+C 停止它，再重新启动。"
    )


def in_use(folder: Path) -> bool:
    """Whether a running service holds the folder (nothing is created when it does not exist)."""
    if not (folder / LOCK).is_file():
        return False
    try:
        FolderLock(folder / LOCK).release()
    except UsageError:
        return True
    return False


if sys.platform == "win32":  # pragma: no cover - exercised on Windows
    import msvcrt

    def _lock_file(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock_file(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock_file(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # per open file: a second open in this process is refused too

    def _unlock_file(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class Workspace:
    """One work folder, opened by one service at a time; safe to use from the service's threads.

    Everything given (year, roster) is checked before anything is created or recorded: a start that fails
    leaves the folder as it was.
    """

    def __init__(self, folder: Path, *, year: int | None = None, roster: Path | None = None, name: str = "") -> None:
        from govxl.editions import edition_for_year

        self.folder = folder
        if year is not None:
            edition_for_year(year)  # an unsupported year is refused before anything is created
        taken = read_roster(roster) if roster is not None else None  # an unreadable or empty roster too
        if not (folder / DATABASE).exists():
            edition_for_year(year or default_year())
        self.roster_problems: list[RosterProblem] = list(taken.problems) if taken is not None else []
        folder.mkdir(parents=True, exist_ok=True)
        self._hold = FolderLock(folder / LOCK)
        try:
            self.store = Store(folder / DATABASE)
            try:
                self._open(year, taken, name)
            except BaseException:
                self.store.close()
                raise
        except BaseException:
            self._hold.release()
            raise

    def _open(self, year: int | None, roster: Roster | None, name: str) -> None:
        self._lock = threading.Lock()  # one intake at a time decides what counts
        self._folder = threading.Lock()  # 报表/ changed under it only
        self._pending: set[str] = set()  # names in 报表/ handed to the holder of ``_folder`` by intakes
        self._handing = threading.Lock()  # over ``_pending`` and whether ``_folder`` is taken or let go
        # intakes are checked at the same time but recorded one after another, each after those that arrived
        # before it for its unit (an office upload's units are known only once read: after all before it)
        self._turns = threading.Condition()
        self._tickets = 0  # intakes that arrived
        self._unrecorded: dict[int, int | None] = {}  # ticket: the unit its intake is for (None: the office's)
        self.checker: Checker | None = None  # worker processes for the checks, when the service started them
        self.problems: list[str] = []  # why 报表/ is not in step with the records, shown on the board
        self._seen: dict[str, tuple[int, int]] = {}
        self.year = self._year(year)
        for sub in (self.received, self.partial, self.current):
            sub.mkdir(parents=True, exist_ok=True)
        self.name = self._setting("name", name, DEFAULT_NAME)
        self.secret = self._setting("secret", "", secrets.token_hex(32))
        self.office_key = self._setting("office_key", "", new_token())
        if roster is not None:
            self._take_roster(roster)
        self.listed = roster if roster is not None else (read_roster(self.roster) if self.roster else None)
        self._roster_ukeys = {unit_key(u) for u in self.listed.units} if self.listed is not None else set()
        self._write_merge_roster()
        self.recover()

    @property
    def received(self) -> Path:
        return self.folder / RECEIVED

    @property
    def partial(self) -> Path:
        return self.received / PARTIAL

    @property
    def current(self) -> Path:
        return self.folder / CURRENT

    @property
    def roster(self) -> Path | None:
        found = sorted(self.folder.glob(ROSTER + ".*"))
        return found[0] if found else None

    @property
    def merge_roster(self) -> Path | None:
        """The roster the merged workbook is made with (and ``govxl merge 工作文件夹/报表`` is given)."""
        return self.folder / MERGE_ROSTER if self.listed is not None else None

    def _write_merge_roster(self) -> None:
        """汇总名单.csv: the roster's units in its order, each with its other names: the roster's own, then those
        accepted through its link (one that became a roster unit's name or another's other name is left out)."""
        if self.listed is None:
            return
        accepted = self._accepted_names()
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([NAME_COLUMN, ALIAS_COLUMN])
        for name in self.listed.units:
            unit = self.store.unit_by_key(unit_key(name))
            others = self.listed.aliases.get(name, []) + (accepted.get(unit.id, []) if unit is not None else [])
            writer.writerow([name, ALIAS_SEPARATOR.join(_as_other_name(a) for a in others)])
        data = ("\ufeff" + buffer.getvalue()).encode("utf-8")  # Excel opens it as UTF-8
        target = self.folder / MERGE_ROSTER
        if target.is_file() and target.read_bytes() == data:
            return
        with atomic_output(target) as tmp:
            tmp.write_bytes(data)

    def other_names(self, unit: Unit) -> list[str]:
        """A roster unit's other names as 汇总名单.csv gives them: the roster's own, then those accepted."""
        if self.listed is None or not unit.on_roster:
            return []
        own = next((names for u, names in self.listed.aliases.items() if unit_key(u) == unit.ukey), [])
        return [*own, *self._accepted_names().get(unit.id, [])]

    def _accepted_names(self) -> dict[int, list[str]]:
        """Other names accepted through a link, by unit: those of roster units that are no roster unit's name nor
        the roster's other name of a unit."""
        if self.listed is None:
            return {}
        used = self._roster_ukeys | set(self.listed.alias_keys)
        on_roster = {u.id for u in self.store.units() if u.on_roster}
        out: dict[int, list[str]] = {}
        for unit_id, name, ukey in self.store.aliases():
            if unit_id in on_roster and ukey not in used:
                out.setdefault(unit_id, []).append(name)
        return out

    def _alias_unit(self, cover: str) -> Unit | None:
        """The roster unit a cover names by one of its other names (the roster's, or one accepted through a link),
        as 汇总名单.csv says it: never for a roster unit's own name, nor for a unit no longer on the roster."""
        ukey = unit_key(cover)
        if self.listed is None or ukey in self._roster_ukeys:
            return None
        name = self.listed.alias_keys.get(ukey)
        unit = self.store.unit_by_key(unit_key(name)) if name is not None else self.store.alias_unit(ukey)
        return unit if unit is not None and unit.on_roster else None

    def close(self) -> None:
        self.store.close()
        self._hold.release()

    # settings kept in the folder

    def _setting(self, key: str, given: str, default: str) -> str:
        stored = self.store.setting(key)
        value = given or stored or default
        if value != stored:
            self.store.set_setting(key, value)
        return value

    def _year(self, given: int | None) -> int:
        stored = self.store.setting("year")
        if stored is not None and given is not None and int(stored) != given:
            raise UsageError(
                f"工作文件夹 {self.folder} 是 {stored} 年度的，不能用于 {given} 年度；请另选一个工作文件夹。"
            )
        year = given or (int(stored) if stored else default_year())
        if stored is None:
            self.store.set_setting("year", str(year))
        return year

    def _take_roster(self, roster: Roster) -> None:
        given = roster.path
        target = self.folder / (ROSTER + given.suffix.lower())
        if given.resolve() != target.resolve():
            with atomic_output(target) as tmp:
                shutil.copyfile(given, tmp)
            for other in self.folder.glob(ROSTER + ".*"):
                if other.resolve() != target.resolve():
                    other.unlink()
        keep: set[int] = set()
        with self.store.transaction():
            for position, name in enumerate(roster.units):
                unit = self.store.unit_by_key(unit_key(name))
                if unit is None:
                    token = new_token()
                    keep.add(self.store.add_unit(name, unit_key(name), on_roster=True, position=position, token=token))
                else:
                    self.store.place_on_roster(unit.id, name, position)
                    if unit.token is None:
                        self.store.set_token(unit.id, new_token())
                    keep.add(unit.id)
            self.store.take_off_roster(keep)

    # start-up, and 报表/ kept in step with the records

    def recover(self) -> None:
        """Put the folder right after a crash: unfinished uploads removed, unrecorded files set aside,
        报表/ made to hold exactly the copies the records say count."""
        for leftover in self.partial.iterdir():
            if leftover.is_file():
                leftover.unlink()
        recorded = self.store.stored_names()
        for path in self.received.iterdir():
            if path.is_file() and path.name not in recorded:
                self._set_aside(path, f"{RECEIVED}/{path.name}", keep_name=True)
        self.keep_in_step()

    def keep_in_step(self) -> list[str]:
        """Make 报表/ hold exactly the copies the records say count; what stops it, said (``problems``)."""
        with self._holding_folder():
            return self._keep_in_step()

    def check_in_step(self) -> list[str]:
        """``keep_in_step`` when 报表/ may have changed since (a file added, edited, removed) or a problem is
        pending (a file open in Excel may since have been closed): a few ``stat`` calls otherwise."""
        with self._holding_folder():
            if self.problems or self._listing() != self._seen:
                self._keep_in_step()
            return self.problems

    @contextmanager
    def in_step(self) -> Iterator[Path]:
        """报表/, in step with the records as the block starts and unchanged while it runs (the copies of uploads
        recorded meanwhile are placed when it ends); ``OutOfStep`` when it cannot be put in step, so that nothing
        is built from files the status board does not show."""
        with self._holding_folder():
            problems = self._keep_in_step()
            if problems:
                raise OutOfStep("“报表”文件夹与报送情况不一致，暂时无法生成：" + "\n".join(problems))
            yield self.current

    def _keep_in_step(self) -> list[str]:
        self.current.mkdir(parents=True, exist_ok=True)
        expected = dict(self.store.current_files())
        problems: list[str] = []
        for path in sorted(self.current.iterdir()):
            if (path.name in expected or is_system_file(path.name)) and path.is_file():
                continue  # Excel's ~$ file beside a return it has open, Thumbs.db: merge ignores them, so do we
            try:
                if path.is_file() and self.store.was_placed(path.name, _digest(path)):
                    path.unlink()  # the service's own copy of a received file (kept in 收件/) that no longer counts
                    continue
                self._set_aside(path, f"{CURRENT}/{path.name}")
            except OSError as e:
                problems.append(
                    f"“{CURRENT}”文件夹中的“{path.name}”不是服务登记的报表，无法移到“{RECEIVED}/{SET_ASIDE}”"
                    f"（{_why(e)}）。请关闭其中在 Excel 或 WPS 中打开的文件，或把它移出“{CURRENT}”文件夹。"
                )
        for file_name, stored in expected.items():
            try:
                self._place(file_name, stored)
            except (OSError, OutputError) as e:
                problems.append(
                    f"“{CURRENT}”文件夹中的“{file_name}”无法更新为最新计入汇总的报表（{_why(e)}），"
                    "其中仍是以前的文件。请在 Excel 或 WPS 中关闭该文件，关闭后即自动更新。"
                )
        if problems:
            log.warning("“%s”文件夹暂时无法与报送记录一致：%s", CURRENT, " ".join(problems))
        self.problems = problems
        self._seen = self._listing()
        return problems

    @contextmanager
    def _holding_folder(self) -> Iterator[None]:
        self._folder.acquire()
        try:
            yield
        finally:
            self._let_go_of_folder()

    def _let_go_of_folder(self) -> None:
        """Let go of 报表/, once the names intakes handed over while it was held are brought in line."""
        while True:
            with self._handing:
                if not self._pending:
                    self._folder.release()
                    return
                names, self._pending = self._pending, set()
            try:
                self._bring_in_line(names)
            except BaseException:
                self._seen = {}  # not known what it holds now: whoever holds 报表/ next puts all of it in step
                self._folder.release()
                raise

    def _follow_records(self, names: set[str]) -> None:
        """报表/ after an intake, brought in line with the records for the names they changed; when another
        thread holds 报表/ (a download building from it, another intake placing its copy), the names are handed
        to it, to be put in line before it lets go, and the intake's answer does not wait."""
        with self._handing:
            self._pending |= names
            if not self._folder.acquire(blocking=False):
                return
        self._let_go_of_folder()

    def _bring_in_line(self, names: set[str]) -> None:
        """Only the names given are brought in line (a copy placed, one that no longer counts removed), the
        rest of 报表/ left unread; all of it (``_keep_in_step``) when the folder changed otherwise since it was
        last in step, a problem is pending, or a name cannot be put right (a file open in Excel), so that what
        stops it is said as before."""
        if self.problems or self._listing() != self._seen:
            self._keep_in_step()
            return
        try:
            for name in sorted(names):
                counted = self.store.counted_file(name)
                if counted is not None:
                    self._place(name, *counted, recorded=True)
                    continue
                path = inside(self.current, name)
                if path.is_file() and self.store.was_placed(name, _digest(path)):
                    path.unlink()
                elif path.exists() or path.is_symlink():
                    self._set_aside(path, f"{CURRENT}/{name}")
        except (OSError, OutputError):
            self._keep_in_step()
            return
        self._seen = self._listing()

    def _listing(self) -> dict[str, tuple[int, int]]:
        """What is in 报表/: each name with its size and modification time."""
        try:
            with os.scandir(self.current) as entries:
                return {e.name: (st.st_size, st.st_mtime_ns) for e in entries if (st := e.stat())}
        except OSError:
            return {}

    def _place(self, file_name: str, stored: str, wanted: str | None = None, *, recorded: bool = False) -> None:
        """A received file's copy under its name in 报表/ (``wanted``: its SHA-256, read from it when not given;
        ``recorded``: the copy already recorded as the service's own, with the intake)."""
        source = self.received / stored
        target = inside(self.current, file_name)
        wanted = wanted or _digest(source)
        if target.exists():
            digest = _digest(target)
            if digest == wanted:
                return
            if not self.store.is_known_digest(digest):  # edited or put there by hand: kept, never overwritten
                self._set_aside(target, f"{CURRENT}/{file_name}")
        with atomic_output(target) as tmp:
            shutil.copyfile(source, tmp)
        if not recorded:
            self.store.add_placed(file_name, wanted)

    def _set_aside(self, path: Path, shown: str, *, keep_name: bool = False) -> None:
        """Move a file or folder the records do not know into 收件/未登记/, and record that (shown on the board)."""
        aside = self.received / SET_ASIDE
        aside.mkdir(exist_ok=True)
        kept = inside(aside, path.name if keep_name else f"{uuid.uuid4().hex[:8]}_{path.name}")
        os.replace(path, kept)
        self.store.add_set_aside(now_text(), shown, f"{RECEIVED}/{SET_ASIDE}/{kept.name}")
        log.warning("%s 不是服务登记的文件，已移到 %s", shown, kept)

    # receiving

    def save_incoming(self, data: BinaryIO, original_name: str) -> Incoming:
        """Copy an upload into 收件/.未完成/, hashing it; synced to disk before anything refers to it."""
        path = self.partial / f"{uuid.uuid4().hex}.part"
        digest = hashlib.sha256()
        size = 0
        with open(path, "wb") as out:
            while chunk := data.read(1 << 16):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        return Incoming(path, _display_name(original_name), digest.hexdigest(), size)

    def accept(self, incoming: Incoming, unit: Unit | None) -> Intake | str:
        """One file: from a department (``unit`` given) or from the office (the unit read from its cover);
        or, for a lock or system file, why it was ignored."""
        received = self.accept_batch([incoming], unit)
        return received.intakes[0] if received.intakes else received.ignored[0]

    def accept_batch(self, batch: list[Incoming], unit: Unit | None = None) -> Received:
        """Files received together, sorted as ``merge`` sorts a folder: lock and system files ignored; a file
        that is not a spreadsheet (a letter, a scan) kept and recorded but never counted; two returns for one
        unit both counted as 重复, as ``merge`` would."""
        ignored: list[str] = []
        returns: list[Incoming] = []
        others: list[tuple[Incoming, list[Finding]]] = []
        for incoming in batch:
            inbox = sort_received(incoming.path, incoming.original_name)
            if inbox.ignored:
                incoming.path.unlink()
                ignored += inbox.ignored
            elif inbox.not_read:
                others.append((incoming, not_read_findings(inbox)))
            else:
                returns.append(incoming)
        with self._turns:
            ticket = self._tickets
            self._tickets += 1
            self._unrecorded[ticket] = unit.id if unit is not None else None
        try:
            changed, intakes = self._take_in(ticket, returns, others, unit)
        finally:
            self._end_turn(ticket)
        # the copies in 报表/ follow the records; what stops them is shown on the board until it is gone
        self._follow_records(changed)
        return Received([intakes[id(i)] for i in batch if id(i) in intakes], ignored)

    def _wait_turn(self, ticket: int) -> None:
        """Until every intake that arrived before this one and may be for the same unit is recorded: one unit's
        returns count in the order they arrived, and a slow check holds up no other unit's."""
        with self._turns:
            unit = self._unrecorded[ticket]
            self._turns.wait_for(
                lambda: (
                    not any(
                        t < ticket and (u is None or unit is None or u == unit) for t, u in self._unrecorded.items()
                    )
                )
            )

    def _end_turn(self, ticket: int) -> None:
        self._wait_turn(ticket)  # an intake that failed before its turn still lets the later ones go in order
        with self._turns:
            del self._unrecorded[ticket]
            self._turns.notify_all()

    def _take_in(
        self, ticket: int, returns: list[Incoming], others: list[tuple[Incoming, list[Finding]]], unit: Unit | None
    ) -> tuple[set[str], dict[int, Intake]]:
        """Check the returns (at the same time as other intakes), then, in this intake's turn, record every file
        and decide what counts; the names in 报表/ whose copies the records changed, and each file's intake."""
        checked = [(incoming, self._move_in(incoming)) for incoming in returns]
        found = self._check([self.received / stored for _, stored in checked])
        results = [(incoming, stored, *f) for (incoming, stored), f in zip(checked, found, strict=True)]
        kept = [(incoming, self._move_in(incoming), findings) for incoming, findings in others]
        self._wait_turn(ticket)
        with self._lock, self.store.transaction():
            self._aliases_changed = False
            assigned = [
                (incoming, stored, fc, findings, *self._unit_for(fc, incoming, unit))
                for incoming, stored, fc, findings in results
            ]
            counting = self._counting(
                [(target, counts, _usable(fc, findings)) for *_, fc, findings, target, counts, _ in assigned]
            )
            per_unit: dict[int, int] = {}
            for (*_, target, _c, _h), counted in zip(assigned, counting, strict=True):
                if counted and target is not None:
                    per_unit[target.id] = per_unit.get(target.id, 0) + 1
            intakes: dict[int, Intake] = {}  # by id(incoming): shown in the order received
            chosen: dict[int, list[tuple[int, str]]] = {}
            changed: set[str] = set()  # names in 报表/ whose copy the records now say otherwise
            digests: dict[int, str] = {}
            for (incoming, stored, fc, findings, target, counts, hint), counted in zip(assigned, counting, strict=True):
                several = counted and target is not None and per_unit.get(target.id, 0) > 1
                outcome = _outcome(fc, findings, counts, several)
                given = [hint, *findings] if hint is not None else findings
                submission = self._record(incoming, stored, target, fc, given, outcome, unit)
                if counted and target is not None:
                    chosen.setdefault(target.id, []).append((submission.id, Path(stored).suffix))
                    digests[submission.id] = submission.sha256
                intakes[id(incoming)] = Intake(
                    submission, target, counted, target is not None and counts and not counted
                )
            for incoming, stored, findings in kept:
                target = unit if unit is not None else self._unit_by_file_name(incoming.original_name)
                # .et or an archive probably holds the figures (an error, as merge says); a letter or a scan does not
                outcome = UploadOutcome.UNREADABLE if any(f.is_error for f in findings) else UploadOutcome.NOT_READ
                submission = self._record(incoming, stored, target, None, findings, outcome, unit)
                intakes[id(incoming)] = Intake(submission, target, False)
            for unit_id, subs in chosen.items():
                changed.update(self.store.current_names(unit_id))
                self.store.set_current(unit_id, [])
                taken = {name.lower() for name, _ in self.store.current_files()}
                stem = self._file_stem(unit_id, taken)
                named = [
                    (sid, f"{stem}{suffix}" if i == 0 else f"{stem}_{i + 1}{suffix}")
                    for i, (sid, suffix) in enumerate(subs)
                ]
                self.store.set_current(unit_id, named)
                changed.update(name for _, name in named)
                for sid, name in named:  # the copy about to be placed is the service's own: said with the records
                    self.store.add_placed(name, digests[sid])
            if self._aliases_changed:  # written before 报表/ gets the return that needs it
                self._write_merge_roster()
        return changed, intakes

    def _counting(self, returns: list[tuple[Unit | None, bool, bool]]) -> list[bool]:
        """Which of the returns received together count, each given as (its unit, whether it may count for it,
        whether it can be used as a return): a file that cannot (unreadable, blank, another year's) never
        displaces one that can, received before or with it; with none that can, the latest counts as before."""
        can: dict[int, bool] = {}
        for target, counts, usable in returns:
            if target is not None and counts:
                can[target.id] = can.get(target.id, False) or usable
        for unit_id, found in can.items():
            if not found:
                can[unit_id] = any(usable_record(s) for s in self.store.current(unit_id))
        return [target is not None and counts and (usable or not can[target.id]) for target, counts, usable in returns]

    def _file_stem(self, unit_id: int, taken: set[str]) -> str:
        """The unit's name as a file name in 报表/; two names that differ only in characters Windows forbids differ."""
        unit = self.store.unit(unit_id)
        assert unit is not None
        stem = safe_file_stem(unit.name)
        if any(name.startswith(stem.lower() + ".") or name == stem.lower() for name in taken):
            stem = f"{stem}_{unit_id}"
        return stem

    def _move_in(self, incoming: Incoming) -> str:
        suffix = Path(incoming.original_name).suffix.lower()
        suffix = suffix if _SUFFIX.match(suffix) else ""
        stored = f"{now_text()[:10].replace('-', '')}-{uuid.uuid4().hex[:12]}{suffix}"
        os.replace(incoming.path, self.received / stored)
        return stored

    def _check(self, paths: list[Path]) -> list[Checked]:
        """What ``govxl check`` finds in each file: in the worker processes when the service started them."""
        if self.checker is not None:
            return self.checker.check_all(paths)
        return [check_received(path, self.year) for path in paths]

    def _unit_for(
        self, fc: Read | None, incoming: Incoming, given: Unit | None
    ) -> tuple[Unit | None, bool, Finding | None]:
        """The unit a file is for, whether it may count for it, and a 提示 when its cover names the unit otherwise.

        A department's link says who sent the file: a cover naming the unit otherwise (``牡丹江市西安区财政局``
        or ``财政局`` for ``区财政局``) counts with a 提示, and the cover's name becomes one of the unit's other
        names in 汇总名单.csv, so that merge counts it as the board does; only a cover naming another roster
        unit (or another unit's other name) is refused. A file sent to the office is placed by its cover."""
        cover = fc.cover if fc is not None else ""
        aliased = self._alias_unit(cover) if cover else None
        if given is not None:
            if not cover or unit_key(cover) == given.ukey:
                return given, True, None
            if aliased is not None:
                return given, aliased.id == given.id, _alias_hint(cover, given) if aliased.id == given.id else None
            if self._another_roster_unit(cover, given) is not None:
                return given, False, None
            if self.listed is None or not is_name(cover) or self.store.unit_by_key(unit_key(cover)) is not None:
                message = (  # a unit of that name has files of its own: merge lists this one under the cover's name
                    f"报表封面的“填报单位”是“{cover}”，与名单中的“{given.name}”不一致；报表是用“{given.name}”的报送链接上传的，"
                    f"已计入“{given.name}”，但汇总表中按封面名称列出；请对方把封面的“填报单位”改为“{given.name}”后重新报送"
                )
                return given, True, Finding(Severity.HINT, NEAR_NAME, message)
            self.store.add_alias(unit_key(cover), cover, given.id)
            self._aliases_changed = True
            message = (
                f"报表封面的“填报单位”是“{cover}”，与名单中的“{given.name}”不一致；报表是用“{given.name}”的报送链接上传的，"
                f"已作为“{given.name}”的报表计入汇总，“{cover}”已记为“{given.name}”的其他名称；"
                f"请对方把封面的“填报单位”改为“{given.name}”后重新报送"
            )
            return given, True, Finding(Severity.HINT, ALIAS, message)
        if aliased is not None:
            return aliased, True, _alias_hint(cover, aliased)
        if cover:
            found = self.store.unit_by_key(unit_key(cover))
            if found is None:
                unit_id = self.store.add_unit(cover, unit_key(cover), on_roster=False, position=0, token=None)
                found = self.store.unit(unit_id)
            return found, True, None
        return self._unit_by_file_name(incoming.original_name), True, None

    def _another_roster_unit(self, cover: str, given: Unit) -> Unit | None:
        """The roster unit other than ``given`` a cover names: by its name, or (not close to ``given``'s) a near one."""
        others = [u for u in self.store.units() if u.on_roster and u.id != given.id]
        ukey = unit_key(cover)
        exact = next((u for u in others if u.ukey == ukey), None)
        if exact is not None or near_miss(cover, given.name):
            return exact
        return next((u for u in others if near_miss(cover, u.name)), None)

    def _unit_by_file_name(self, original_name: str) -> Unit | None:
        """A file without a unit on its cover (or unreadable) sent to the office: its name may say whose it is."""
        stem = unit_key(Path(original_name).stem)
        for unit in sorted(self.store.units(), key=lambda u: len(u.ukey), reverse=True):
            if unit.on_roster and unit.ukey and unit.ukey in stem:
                return unit
        return None

    def _record(
        self,
        incoming: Incoming,
        stored: str,
        unit: Unit | None,
        fc: Read | None,
        findings: list[Finding],
        outcome: str,
        given: Unit | None,
    ) -> Submission:
        cover = fc.cover if fc is not None else ""
        if outcome == UploadOutcome.OTHER_UNIT and unit is not None:
            message = (
                f"报表封面的“填报单位”是“{cover}”，不是本单位“{unit.name}”，未计入汇总。"
                "请使用本单位的模板填写，或改正封面的填报单位后重新上传"
            )
            findings = [Finding(Severity.ERROR, UNREADABLE, message), *findings]
        errors = sum(1 for f in findings if f.is_error)
        hints = [f for f in findings if not f.is_error]
        draft = Submission(
            0,
            unit.id if unit is not None else None,
            now_text(),
            Source.DEPARTMENT if given is not None else Source.OFFICE,
            incoming.original_name,
            stored,
            incoming.sha256,
            incoming.size,
            outcome,
            errors,
            len(hints),
            sum(1 for f in hints if not f.explanation),
            cover,
            json.dumps([_shown_finding(f) for f in findings], ensure_ascii=False),
        )
        new_id = self.store.add_submission(draft)
        recorded = self.store.submission(new_id)
        assert recorded is not None
        return recorded

    # tokens

    def new_office_key(self) -> str:
        """A new office key: the old link stops working and every office session ends."""
        key = new_token()
        with self.store.transaction():
            self.store.set_setting("office_key", key)
            self.store.end_sessions()
        self.office_key = key
        return key

    def renew_token(self, unit_id: int) -> str:
        token = new_token()
        self.store.set_token(unit_id, token)
        return token

    def revoke_token(self, unit_id: int) -> None:
        self.store.set_token(unit_id, None)


def _alias_hint(cover: str, unit: Unit) -> Finding:
    message = f"报表封面的“填报单位”是“{cover}”，是名单中“{unit.name}”的其他名称，已作为“{unit.name}”的报表计入汇总"
    return Finding(Severity.HINT, ALIAS, message)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _as_other_name(name: str) -> str:
    """A cover's name as an other name in 汇总名单.csv, the same unit to ``unit_key`` (which drops spaces and
    punctuation): no separator or line break inside, and not taken for a formula when the CSV is opened in Excel."""
    name = re.sub(r"[;；\r\n\u2028\u2029\x85]", " ", name).strip()
    return "'" + name if name.startswith(_FORMULA_START) else name


def status(current: list[Submission]) -> str:
    """A unit's place on the status board, from the submissions that count for it."""
    if not current:
        return UploadOutcome.MISSING
    if len(current) > 1:
        return UploadOutcome.DUPLICATE
    return current[0].outcome


# errors that keep a readable file from being used as this year's return (merge leaves it out, or has nothing to add)
_UNUSABLE = (UNREADABLE, MIXED, WRONG_EDITION, UNFILLED)


def _usable(fc: Read | None, findings: list[Finding]) -> bool:
    return fc is not None and not any(f.is_error and f.rule in _UNUSABLE for f in findings)


def usable_record(s: Submission) -> bool:
    """Whether a recorded submission can be used as its unit's return (as ``_usable`` decided it)."""
    if s.outcome in (UploadOutcome.UNREADABLE, UploadOutcome.NOT_READ, UploadOutcome.OTHER_UNIT):
        return False
    return not any(f["severity"] == Severity.ERROR.value and f["rule"] in _UNUSABLE for f in s.findings)


def _outcome(fc: Read | None, findings: list[Finding], counts: bool, duplicate: bool) -> str:
    if not counts:
        return UploadOutcome.OTHER_UNIT
    if fc is None:
        return UploadOutcome.UNREADABLE
    if duplicate:
        return UploadOutcome.DUPLICATE
    if any(f.is_error for f in findings):
        return UploadOutcome.ERRORS
    hints = [f for f in findings if not f.is_error]
    if hints and all(f.explanation for f in hints):
        return UploadOutcome.EXPLAINED
    return UploadOutcome.ACCEPTED


def _shown_finding(f: Finding) -> dict[str, str]:
    d = f.to_json()
    d.pop("file", None)  # the service's own file name means nothing to the department
    return d


MAX_NAME = 200


def _display_name(name: str) -> str:
    """The browser's file name, kept for display only: the last path part, at most 200 characters,
    shortened in the middle of its stem so that its extension (which says what the file is) stays."""
    name = without_controls(name.replace("\\", "/").rsplit("/", 1)[-1]).strip() or "未命名文件"
    if len(name) <= MAX_NAME:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem or len(suffix) > 10:
        return name[:MAX_NAME]
    return stem[: MAX_NAME - len(suffix) - 2] + "…." + suffix


# bidirectional controls (a right-to-left override makes “报表\u202exslx.exe” read as “报表exe.xlsx”) and
# control characters: never part of a name shown
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


_ON_PAGES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def without_controls(text: str) -> str:
    return _CONTROLS.sub("", text)


def shown_on_page(text: str) -> str:
    """Any text a page shows, without bidirectional or control characters (line breaks and tabs kept)."""
    return _ON_PAGES.sub("", text)


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 16):
            h.update(chunk)
    return h.hexdigest()
