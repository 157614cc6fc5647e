"""Benchmark: the curator's /summary (text and charts) and /export on a generated large institution.

A fresh SQLite file gets the app's schema (``Database.open`` applies the migrations), then plain ``sqlite3``
``executemany`` fills it with one programme year of a large institution (fixed seed):

* ``--participants`` people: ~65 % pupils, ~10 % young teachers (mentees), 25 % mentors, in the forms of
  ``bot.programme.Form``; ~95 % consented (a consent row each; minors by a parent), the rest invited, some minors
  waiting for a parent; ~92 % of the consented finished the intake survey of their role, the others answered its
  first questions. Answers use the question and option ids of ``bot/questionnaires/data`` and are stored as
  ``json.dumps`` of the value, as ``ParticipantRepo.save_answer`` stores them.
* ``participants / 4`` pairs and groups (65 % one mentee, the rest 2–5; ~4 % dissolved), a mentor may lead
  several; every pair goes through the stages of ``bot.meetings.Stage`` (intro, trial, planning, 6 × work,
  final) at its own pace: past meetings held or not held (a few cancelled), the next one planned, ~10 % of the
  pairs went quiet; check-ins from about half of the members after each past meeting.
* campaigns as the bot opens them: a growth_entry campaign per pair at its confirmation (segment ``pair.<id>``,
  the ``growth`` questionnaire), then the programme calendar's quality (December and May), growth_end (May) and
  final (May) campaigns to the active pairs' members, with the questionnaire of each role
  (``bot.monitoring.questionnaire_for``). Their answers go to ``answers`` under ``'c' || campaign id``. The
  response rate of the calendar campaigns is chosen so that ``answers`` holds about ``--answers`` rows.

Then each measured operation runs in its own child process (so that ``ru_maxrss`` is that operation's peak),
exactly as ``handlers/curator/reports.py`` (``deliver``) runs it, on the repositories of
``storage.repositories.build_repositories``:

* summary: ``_quality`` + ``_growth`` + ``summary_text`` (``/summary``), median of 5 runs; every SQL statement
  it runs with its time (median over the runs, including aiosqlite's hop to its thread) and its
  ``EXPLAIN QUERY PLAN``; a full SCAN of ``answers`` or ``meetings`` is flagged;
* charts: ``/summary charts``: ``_quality``, ``_growth``, ``furthest_stages`` and the three PNGs of
  ``bot.reports.charts`` (in a worker thread, as the handler does), median of 5; the PNG rendering on its own;
* export: ``collect_export`` + ``export_workbook`` in a worker thread (``/export``), best and median of 3
  (a run slower than ``SLOW_RUN_S`` is not repeated, to keep the default run within ~5 minutes), split into
  SQL, Python (statement rows to dicts), ``export_sheets`` (rows to sheets) and ``export_workbook``; every SQL
  statement with its time and plan;
* proposed (only with ``--operations proposed``): /export with ``ReportRepo.accounting`` and ``all_answers``
  replaced, in the child only, by the set-based statements ``PROPOSED_*`` below, after checking that each
  returns exactly the app's rows.

For each operation also the longest the event loop was late for a 5 ms sleep while it ran (how long other
users' updates would wait). Memory: peak RSS of the child (``resource.getrusage``; its RSS after imports and
setup, before the first run, is given too) and the ``tracemalloc`` peak of one extra run (tracemalloc slows
Python down, so that run is not timed; it does not see SQLite's own allocations, RSS does). A child that runs
longer than ``--timeout`` is killed and reported with the statement it was running. ``--drop-index a,b`` drops
indexes before measuring: the «before» of an index.

Run from the repository root:

    /tmp/venv/bin/python bench/bench_reports.py                                   # 10,000 people, 200,000 answers
    /tmp/venv/bin/python bench/bench_reports.py --participants 2000 --answers 40000   # a quick check
    /tmp/venv/bin/python bench/bench_reports.py --operations proposed              # the proposed SQL, ~4 minutes
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.clock import SystemClock, iso
from bot.meetings import StagePlan
from bot.monitoring import GROWTH_END, GROWTH_ENTRY, questionnaire_for, survey_label
from bot.programme import FORMS_BY_ROLE, INTAKE_BY_ROLE, Form, Role
from bot.questionnaires import Question, Questionnaire, QuestionType, load_directory
from storage.database import Database

ROOT = Path(__file__).resolve().parents[1]
SUMMARY_GOAL_S = 0.5
EXPORT_GOAL_S = 10.0
CURATOR_ID = 1
TOKEN = "123456:" + "a" * 35
SLOW_RUN_S = 30.0  # an export run slower than this is not repeated (the default run stays within ~5 minutes)

# Proposed replacements for two statements of storage/reports.py (measured with `--operations proposed`; the app
# still runs its own). Same rows, same order; set-based instead of correlated subqueries that SQLite re-runs.
PROPOSED_ACCOUNTING = (
    "WITH member(pid, pair_id) AS (SELECT mentor_id, id FROM pairs WHERE mentor_id IS NOT NULL"
    "  UNION SELECT mentee_id, pair_id FROM pair_members WHERE mentee_id IS NOT NULL),"
    " held(pair_id, n) AS (SELECT pair_id, COUNT(*) FROM meetings WHERE status='held' GROUP BY pair_id),"
    " per(pid, pair_id, held) AS (SELECT mb.pid, MIN(CASE WHEN x.dissolved_at IS NULL THEN x.id END),"
    "  SUM(COALESCE(h.n, 0)) FROM member mb JOIN pairs x ON x.id=mb.pair_id LEFT JOIN held h ON h.pair_id=mb.pair_id"
    "  GROUP BY mb.pid),"
    " done(pid, n) AS (SELECT participant_id, COUNT(*) FROM campaign_recipients WHERE completed_at IS NOT NULL"
    "  GROUP BY participant_id)"
    " SELECT p.id, p.role, p.form, p.joined_at, p.consent_at, p.survey_done_at,"
    " (SELECT json_extract(a.value, '$') FROM answers a WHERE a.participant_id=p.id AND a.question_id='name'"
    "  AND a.questionnaire_id LIKE 'intake_%') AS name,"
    " per.pair_id, COALESCE(per.held, 0) AS held, COALESCE(done.n, 0) + (p.survey_done_at IS NOT NULL) AS surveys"
    " FROM participants p LEFT JOIN per ON per.pid=p.id LEFT JOIN done ON done.pid=p.id ORDER BY p.id"
)
PROPOSED_ALL_ANSWERS = (
    "SELECT a.participant_id, p.role, a.questionnaire_id, a.question_id, a.value, a.answered_at,"
    " c.survey, c.title FROM answers a JOIN participants p ON p.id=a.participant_id"
    " LEFT JOIN campaigns c ON a.questionnaire_id GLOB 'c[0-9]*'"
    " AND c.id=CAST(substr(a.questionnaire_id, 2) AS INTEGER)"
    " ORDER BY a.participant_id, a.questionnaire_id"
)

# Shares of the pupils' forms (young teachers are always «учитель – учитель»).
PUPIL_FORMS: list[tuple[Form, float]] = [
    (Form.TEACHER_PUPIL, 0.50),
    (Form.PUPIL_PUPIL, 0.22),
    (Form.STUDENT_PUPIL, 0.12),
    (Form.EMPLOYER_PUPIL, 0.10),
    (Form.EMPLOYER_STUDENT, 0.06),
]
SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков",
            "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов"]  # fmt: skip
FIRST_NAMES = ["Александр", "Мария", "Дмитрий", "Анна", "Максим", "София", "Иван", "Алиса", "Артём", "Виктория",
               "Михаил", "Полина", "Егор", "Дарья", "Кирилл", "Ева", "Матвей", "Варвара"]  # fmt: skip
PHRASES = ["Хочу собрать робота к соревнованиям", "Нужна помощь с проектом", "Интересно программирование",
           "Больше практики на занятиях", "Всё понравилось, спасибо наставнику", "Мало времени на встречи",
           "Научился работать в команде", "Хочу участвовать в олимпиаде", "Помощь с документами и планами"]  # fmt: skip


# --- data generation ------------------------------------------------------------------------------------------


class Generator:
    """One programme year of a large institution, written with plain sqlite3 into a file that has the schema."""

    def __init__(self, participants: int, answers: int, seed: int, now: datetime) -> None:
        self.n = participants
        self.target_answers = answers
        self.rng = random.Random(seed)
        self.now = now
        self.start = now - timedelta(days=265)  # the programme year began ~9 months ago (≈ late May now)
        self.questionnaires = load_directory()
        self.people: list[dict[str, Any]] = []
        self.answers: list[tuple[int, str, str, str, str]] = []
        self.pairs: list[dict[str, Any]] = []
        self.campaigns: list[tuple] = []
        self.recipients: list[tuple] = []
        self.meetings: list[tuple] = []
        self.checkins: list[tuple] = []

    # values ------------------------------------------------------------------------------------------------
    def _value(self, q: Question, role: str, *, low: bool = False) -> Any:
        rng = self.rng
        if q.type is QuestionType.SINGLE:
            if q.id == "nominate":
                return "yes" if rng.random() < 0.2 else "no"
            return rng.choice(q.option_ids)
        if q.type is QuestionType.MULTI:
            k = rng.randint(1, min(q.max_choices or 3, len(q.options)))
            chosen = set(rng.sample(q.option_ids, k))
            return [o for o in q.option_ids if o in chosen]
        if q.type is QuestionType.SCALE:
            lo, hi = q.min_value or 1, q.max_value or 10
            mode = lo + (hi - lo) * (0.45 if low else 0.8)
            return round(rng.triangular(lo, hi, mode))
        if q.type is QuestionType.NUMBER:
            if q.id == "age":
                return rng.randint(10, 17)
            lo, hi = q.min_value or 0, q.max_value or 30
            return rng.randint(lo, min(hi, lo + (3 if role == Role.MENTEE_TEACHER else 30)))
        if q.id == "name":
            return f"{rng.choice(SURNAMES)} {rng.choice(FIRST_NAMES)}"
        if not q.required and rng.random() < 0.35:
            return None
        return rng.choice(PHRASES)

    def _answer(self, pid: int, key: str, q: Question, role: str, at: datetime, *, low: bool = False) -> None:
        value = self._value(q, role, low=low)
        self.answers.append((pid, key, q.id, json.dumps(value, ensure_ascii=False), iso(at)))

    def _answer_all(self, pid: int, key: str, questionnaire: Questionnaire, role: str, at: datetime, **kw) -> None:
        for i, q in enumerate(questionnaire.questions):
            self._answer(pid, key, q, role, at + timedelta(seconds=20 * i), **kw)

    # people --------------------------------------------------------------------------------------------------
    def make_people(self) -> None:
        rng = self.rng
        n_mentors = self.n // 4
        n_teachers = round(self.n * 0.10)
        roles = [Role.MENTOR] * n_mentors + [Role.MENTEE_TEACHER] * n_teachers
        roles += [Role.MENTEE_PUPIL] * (self.n - len(roles))
        rng.shuffle(roles)
        pupil_forms, pupil_weights = zip(*PUPIL_FORMS, strict=True)
        for i, role in enumerate(roles, start=1):
            if role is Role.MENTEE_TEACHER:
                form = Form.TEACHER_TEACHER
            elif role is Role.MENTOR:
                # Mentors follow the mentees: one in seven for the young teachers, the rest like the pupils.
                form = Form.TEACHER_TEACHER if rng.random() < 0.14 else rng.choices(pupil_forms, pupil_weights)[0]
            else:
                form = rng.choices(pupil_forms, pupil_weights)[0]
            assert form in FORMS_BY_ROLE[role]
            adult = role is not Role.MENTEE_PUPIL and (role is Role.MENTEE_TEACHER or rng.random() < 0.9)
            joined = self.start + timedelta(days=rng.uniform(0, 20), minutes=rng.uniform(0, 600))
            consented = rng.random() < 0.95
            consent_at = joined + timedelta(hours=rng.uniform(0.05, 72)) if consented else None
            done = consented and rng.random() < 0.92
            person = {
                "id": i,
                "telegram_id": 500_000_000 + i * 13,
                "role": role,
                "form": form,
                "joined_at": joined,
                "is_adult": int(adult),
                "parent_code": f"pc{i:06d}" if not adult and (consented or rng.random() < 0.6) else None,
                "consent_at": consent_at,
                "survey_done_at": consent_at + timedelta(minutes=rng.uniform(3, 40)) if done and consent_at else None,
            }
            self.people.append(person)
            if consent_at is None:
                continue
            intake = self.questionnaires[INTAKE_BY_ROLE[role]]
            questions = intake.questions if done else intake.questions[: rng.randint(1, 3)]
            for k, q in enumerate(questions):
                self._answer(i, intake.id, q, role, consent_at + timedelta(minutes=1 + k * 0.5))

    # pairs, meetings, check-ins ------------------------------------------------------------------------------
    def make_pairs(self) -> None:
        rng = self.rng
        target = self.n // 4
        ready = [p for p in self.people if p["survey_done_at"] is not None]
        mentors: dict[Form, list[dict]] = {}
        mentees: dict[Form, list[dict]] = {}
        for p in ready:
            (mentors if p["role"] is Role.MENTOR else mentees).setdefault(p["form"], []).append(p)
        for pool in mentees.values():
            rng.shuffle(pool)
        load: dict[int, int] = {}
        forms = [f for f in mentees if mentors.get(f)]
        weights = [len(mentees[f]) for f in forms]
        while len(self.pairs) < target and any(mentees[f] for f in forms):
            form = rng.choices(forms, weights)[0]
            if not mentees[form]:
                continue
            mentor = rng.choice(mentors[form])
            if load.get(mentor["id"], 0) >= 3:
                mentor = min(mentors[form], key=lambda m: load.get(m["id"], 0))
            load[mentor["id"]] = load.get(mentor["id"], 0) + 1
            size = 1 if rng.random() < 0.65 else rng.randint(2, 5)
            members = [mentees[form].pop() for _ in range(min(size, len(mentees[form])))]
            confirmed = self.start + timedelta(days=rng.uniform(25, 50))
            dissolved = confirmed + timedelta(days=rng.uniform(20, 120)) if rng.random() < 0.04 else None
            self.pairs.append(
                {"id": len(self.pairs) + 1, "form": form, "mentor": mentor, "mentees": members,
                 "confirmed_at": confirmed, "dissolved_at": dissolved}
            )  # fmt: skip

    def make_meetings(self) -> None:
        rng = self.rng
        sequence = StagePlan().sequence
        for pair in self.pairs:
            pace = rng.uniform(12, 40)
            quiet_after = rng.randint(1, len(sequence)) if rng.random() < 0.10 else None
            end = pair["dissolved_at"] or self.now
            members = [pair["mentor"], *pair["mentees"]]
            for k, stage in enumerate(sequence):
                at = pair["confirmed_at"] + timedelta(days=5 + k * pace + rng.uniform(-2, 2), hours=rng.randint(0, 8))
                if quiet_after is not None and k >= quiet_after:
                    break
                if at >= end:
                    if pair["dissolved_at"] is None:
                        self._meeting(pair, stage, at, "planned", members)
                    break
                r = rng.random()
                status = "held" if r < 0.88 else "not_held" if r < 0.96 else "cancelled"
                self._meeting(pair, stage, at, status, members)

    def _meeting(self, pair: dict, stage: str, at: datetime, status: str, members: list[dict]) -> None:
        mid = len(self.meetings) + 1
        created = at - timedelta(days=self.rng.uniform(2, 10))
        place = self.rng.choice(["каб. 12", "лаборатория робототехники", "онлайн", "актовый зал"])
        topic = self.rng.choice([None, "Проект", "Подготовка к соревнованиям", "План на месяц"])
        self.meetings.append((mid, pair["id"], str(stage), iso(at), place, topic, status, iso(created), iso(at)))
        if status not in ("held", "not_held"):
            return
        for person in members:
            if self.rng.random() < 0.5:
                held = status == "held"
                self.checkins.append(
                    (mid, person["id"], "held" if held else "not_held", self.rng.randint(3, 5) if held else None,
                     None, iso(at + timedelta(hours=self.rng.uniform(1, 30))))
                )  # fmt: skip

    # campaigns -----------------------------------------------------------------------------------------------
    def _campaign(self, survey: str, kind: str, segment: str, title: str, opens: datetime, key: str | None) -> int:
        cid = len(self.campaigns) + 1
        closes = opens + timedelta(days=14)
        closed = iso(closes) if closes <= self.now else None
        self.campaigns.append((cid, survey, kind, segment, title, iso(opens), iso(closes), CURATOR_ID if key is None
                               else None, iso(opens), key, closed))  # fmt: skip
        return cid

    def _recipients(self, cid: int, survey: str, people: list[dict], opens: datetime, rate: float, **kw) -> None:
        for person in people:
            questionnaire = questionnaire_for(survey, person["role"], self.questionnaires)
            if questionnaire is None or person["consent_at"] is None:
                continue
            completed = None
            if self.rng.random() < rate:
                at = opens + timedelta(days=self.rng.uniform(0, 12))
                self._answer_all(person["id"], f"c{cid}", questionnaire, person["role"], at, **kw)
                completed = iso(at + timedelta(minutes=5))
            self.recipients.append((cid, person["id"], questionnaire.id, iso(opens), None, completed))

    def make_campaigns(self) -> None:
        for pair in self.pairs:
            opens = pair["confirmed_at"] + timedelta(minutes=1)
            cid = self._campaign("growth", GROWTH_ENTRY, f"pair.{pair['id']}", "Самооценка в начале работы пары",
                                 opens, None)  # fmt: skip
            self._recipients(cid, "growth", [pair["mentor"], *pair["mentees"]], opens, 0.8, low=True)
        # The calendar's campaigns go to the members of the pairs active at the time (segment «active»).
        calendar = [
            ("quality", "quality", self.start + timedelta(days=91)),  # ≈ 1 December
            ("quality", "quality", self.start + timedelta(days=242)),  # ≈ 1 May
            ("growth", GROWTH_END, self.start + timedelta(days=242)),
            ("final", "final", self.start + timedelta(days=256)),  # ≈ 15 May
        ]
        planned = []
        expected = 0
        for survey, kind, opens in calendar:
            active = {}
            for pair in self.pairs:
                if pair["confirmed_at"] <= opens and (pair["dissolved_at"] is None or pair["dissolved_at"] > opens):
                    for person in (pair["mentor"], *pair["mentees"]):
                        active[person["id"]] = person
            people = sorted(active.values(), key=lambda p: p["id"])
            for person in people:
                questionnaire = questionnaire_for(survey, person["role"], self.questionnaires)
                expected += len(questionnaire.questions) if questionnaire and person["consent_at"] else 0
            planned.append((survey, kind, opens, people))
        rate = min(0.98, max(0.02, (self.target_answers - len(self.answers)) / max(expected, 1)))
        self.calendar_rate = rate
        for survey, kind, opens, people in planned:
            cid = self._campaign(survey, kind, "active", survey_label(survey), opens, f"{survey}:{opens:%Y-%m-%d}")
            self._recipients(cid, survey, people, opens, rate)

    # writing -------------------------------------------------------------------------------------------------
    def write(self, path: Path) -> dict[str, int]:
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA synchronous=OFF")
        with conn:
            conn.executemany(
                "INSERT INTO participants(id, account_id, role, form, invite_code, joined_at, is_adult, parent_code,"
                " consent_at, survey_done_at) VALUES (?,?,?,?,NULL,?,?,?,?,?)",
                [(p["id"], p["telegram_id"], str(p["role"]), str(p["form"]), iso(p["joined_at"]), p["is_adult"],
                  p["parent_code"], iso(p["consent_at"]) if p["consent_at"] else None,
                  iso(p["survey_done_at"]) if p["survey_done_at"] else None) for p in self.people],
            )  # fmt: skip
            conn.executemany(
                "INSERT INTO consents(participant_id, kind, document_version, text_sha256, given_at, given_by,"
                " parent_name, parent_relation) VALUES (?,?,?,?,?,?,?,?)",
                [(p["id"], "self" if p["is_adult"] else "parent", "2024-09", "0" * 64, iso(p["consent_at"]),
                  p["telegram_id"] if p["is_adult"] else 900_000_000 + p["id"],
                  None if p["is_adult"] else "Родитель", None if p["is_adult"] else "мать")
                 for p in self.people if p["consent_at"]],
            )  # fmt: skip
            conn.executemany(
                "INSERT INTO pairs(id, form, mentor_id, confirmed_at, confirmed_by, dissolved_at, dissolve_reason)"
                " VALUES (?,?,?,?,?,?,?)",
                [(x["id"], str(x["form"]), x["mentor"]["id"], iso(x["confirmed_at"]), CURATOR_ID,
                  iso(x["dissolved_at"]) if x["dissolved_at"] else None, "по заявлению" if x["dissolved_at"] else None)
                 for x in self.pairs],
            )  # fmt: skip
            conn.executemany(
                "INSERT INTO pair_members(pair_id, mentee_id, score, reasons) VALUES (?,?,?,?)",
                [(x["id"], m["id"], round(self.rng.uniform(2, 9), 2), "[]") for x in self.pairs for m in x["mentees"]],
            )
            conn.executemany(
                "INSERT INTO meetings(id, pair_id, stage, starts_at, place, topic, status, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                self.meetings,
            )
            conn.executemany(
                "INSERT INTO checkins(meeting_id, participant_id, answer, usefulness, note, at) VALUES (?,?,?,?,?,?)",
                self.checkins,
            )
            conn.executemany(
                "INSERT INTO campaigns(id, survey, kind, segment, title, opens_at, closes_at, created_by, created_at,"
                " calendar_key, closed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                self.campaigns,
            )
            conn.executemany(
                "INSERT INTO campaign_recipients(campaign_id, participant_id, questionnaire_id, invited_at, nudged_at,"
                " completed_at) VALUES (?,?,?,?,?,?)",
                self.recipients,
            )
            conn.executemany(
                "INSERT INTO answers(participant_id, questionnaire_id, question_id, value, answered_at)"
                " VALUES (?,?,?,?,?)",
                self.answers,
            )
        counts = {
            table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("participants", "consents", "answers", "pairs", "pair_members", "meetings", "checkins",
                          "campaigns", "campaign_recipients")
        }  # fmt: skip
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        return counts


async def _create_schema(path: Path) -> None:
    db = await Database.open(path)
    await db.close()


def generate(path: Path, participants: int, answers: int, seed: int) -> dict[str, Any]:
    started = time.perf_counter()
    asyncio.run(_create_schema(path))
    gen = Generator(participants, answers, seed, datetime.now(UTC))
    gen.make_people()
    gen.make_pairs()
    gen.make_meetings()
    gen.make_campaigns()
    counts = gen.write(path)
    return {
        "counts": counts,
        "calendar_rate": gen.calendar_rate,
        "seconds": time.perf_counter() - started,
        "file_mb": path.stat().st_size / 2**20,
    }


# --- measuring (in a child process) ---------------------------------------------------------------------------

_ALIAS = re.compile(r"\b(?:FROM|JOIN)\s+(answers|meetings)(?:\s+(?:AS\s+)?(\w+))?", re.IGNORECASE)
_KEYWORDS = {"WHERE", "JOIN", "LEFT", "ON", "GROUP", "ORDER", "LIMIT", "INNER", "AND"}


class QueryLog:
    """Wraps `Database.fetchall` / `fetchone` (what the repositories call) to time every statement and to name
    the repository method that ran it."""

    def __init__(self, db: Database) -> None:
        self.entries: list[dict[str, Any]] = []
        for name in ("fetchall", "fetchone"):
            setattr(db, name, self._wrap(getattr(db, name)))

    def _wrap(self, method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def timed(sql: str, params: Any = ()) -> Any:
            frame = sys._getframe(1)
            caller = "?"
            while frame is not None:
                filename = frame.f_code.co_filename
                if f"{os.sep}storage{os.sep}" in filename and not filename.endswith("database.py"):
                    caller = f"{Path(filename).stem}.{frame.f_code.co_name}"
                    break
                if frame.f_code.co_name.startswith("proposed_"):
                    caller = f"{frame.f_code.co_name} (bench)"
                    break
                frame = frame.f_back
            print(f"start {caller}", file=sys.stderr, flush=True)
            started = time.perf_counter()
            result = await method(sql, params)
            elapsed = time.perf_counter() - started
            print(f"done {caller} {elapsed:.3f} s", file=sys.stderr, flush=True)
            rows = len(result) if isinstance(result, list) else int(result is not None)
            self.entries.append({"caller": caller, "sql": sql, "params": list(params), "s": elapsed, "rows": rows})
            return result

        return timed


def query_plan(path: Path, sql: str, params: list) -> tuple[list[str], list[str]]:
    """EXPLAIN QUERY PLAN lines (indented by depth) and the full scans of answers / meetings among them."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    finally:
        conn.close()
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    names = {"answers", "meetings"}
    for _table, alias in _ALIAS.findall(sql):
        if alias and alias.upper() not in _KEYWORDS:
            names.add(alias)
    scans = [
        d.strip() for d in lines
        if (m := re.match(r"\s*SCAN (\w+)", d)) and m.group(1) in names
    ]  # fmt: skip
    return lines, scans


def summarise_queries(path: Path, runs: list[list[dict]]) -> list[dict]:
    """Per statement (in the order of the first run): median time over the runs, rows, plan, full scans."""
    out = []
    for i, entry in enumerate(runs[0]):
        times = [run[i]["s"] for run in runs if i < len(run) and run[i]["sql"] == entry["sql"]]
        plan, scans = query_plan(path, entry["sql"], entry["params"])
        out.append({**entry, "median_s": statistics.median(times), "plan": plan, "scans": scans})
    return out


async def loop_stall(stop: asyncio.Event, tick: float = 0.005) -> float:
    """The longest the event loop was late waking a 5 ms sleep while an operation ran: how long other users'
    updates would have waited."""
    worst = 0.0
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(tick)
        worst = max(worst, time.perf_counter() - started - tick)
    return worst


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def child(mode: str, path: Path, runs: int) -> dict[str, Any]:
    from bot.i18n import tr
    from bot.reports.charts import growth_png, satisfaction_png, stage_progress_png
    from bot.reports.export_xlsx import export_workbook
    from bot.reports.summary import export_sheets, item_labels, stage_counts
    from bot.settings import load_settings
    from handlers.curator.reports import (
        MONITORING_QUESTIONNAIRES,
        _chart_quality,
        _growth,
        _quality,
        collect_export,
        summary_text,
    )
    from storage.repositories import build_repositories

    settings = load_settings(
        env_file=None,
        telegram={"bot_token": TOKEN, "bot_api_base_url": "http://127.0.0.1:1", "curator_ids": str(CURATOR_ID)},
        storage={"database_path": str(path)},
    )
    clock = SystemClock()
    db = await Database.open(path)
    log = QueryLog(db)
    repos = build_repositories(db, clock)
    reports, campaigns = repos["reports"], repos["campaigns"]
    questionnaires = load_directory()
    tz = settings.institution.tz

    async def summary() -> dict[str, Any]:
        labels = item_labels(questionnaires, MONITORING_QUESTIONNAIRES)
        quality = await _quality(reports, labels, settings)
        growth = await _growth(reports, labels)
        text = await summary_text(clock, settings, reports, campaigns, quality, growth)
        return {"chars": len(text), "text": text}

    async def charts() -> dict[str, Any]:
        labels = item_labels(questionnaires, MONITORING_QUESTIONNAIRES)
        quality = await _quality(reports, labels, settings)
        growth = await _growth(reports, labels)
        stages = stage_counts(await reports.furthest_stages())
        started = time.perf_counter()
        pngs = await asyncio.to_thread(  # as handlers.curator.reports.deliver renders them
            lambda: [
                stage_progress_png(stages, title=tr("chart-stages")),
                satisfaction_png(_chart_quality(quality), title=tr("chart-satisfaction")),
                growth_png(growth, title=tr("chart-growth")),
            ]
        )
        return {"render_s": time.perf_counter() - started, "png_bytes": [len(p) for p in pngs]}

    async def export() -> dict[str, Any]:
        started = time.perf_counter()
        data = await collect_export(settings, reports, questionnaires)
        collected = time.perf_counter()
        sheets = await asyncio.to_thread(lambda: export_sheets(**data))  # as handlers.curator.reports.deliver
        built = time.perf_counter()
        workbook = await asyncio.to_thread(
            export_workbook, sheets, organization=settings.institution.organization_name,
            generated=clock.now().astimezone(tz),
        )  # fmt: skip
        return {
            "collect_s": collected - started,
            "sheets_s": built - collected,
            "workbook_s": time.perf_counter() - built,
            "xlsx_bytes": len(workbook),
            "sheet_rows": {s.title: len(s.rows) for s in sheets},
        }

    checks = {}
    if mode == "proposed":
        # /export with two of ReportRepo's statements replaced by the proposals (in this process only), after
        # checking that each returns exactly the app's rows.
        async def proposed_accounting() -> list[dict]:
            return [dict(r) for r in await db.fetchall(PROPOSED_ACCOUNTING)]

        async def proposed_all_answers() -> list[dict]:
            return [dict(r) for r in await db.fetchall(PROPOSED_ALL_ANSWERS)]

        for name, replacement in (("accounting", proposed_accounting), ("all_answers", proposed_all_answers)):
            started = time.perf_counter()
            app_rows = await getattr(reports, name)()
            app_s = time.perf_counter() - started
            started = time.perf_counter()
            new_rows = await replacement()
            checks[name] = {"app_s": app_s, "proposed_s": time.perf_counter() - started, "same": app_rows == new_rows}
            del app_rows, new_rows
            setattr(reports, name, replacement)

    operation = {"summary": summary, "charts": charts, "export": export, "proposed": export}[mode]
    base_rss = rss_mb()
    times, details, query_runs = [], [], []
    stalls = []
    for _ in range(runs):
        log.entries = []
        stop = asyncio.Event()
        probe = asyncio.create_task(loop_stall(stop))
        started = time.perf_counter()
        details.append(await operation())
        times.append(time.perf_counter() - started)
        stop.set()
        stalls.append(await probe)
        query_runs.append(log.entries)
        if times[-1] > SLOW_RUN_S:
            break
    peak_rss = rss_mb()
    log.entries = []
    tracemalloc.start()
    await operation()
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    await db.close()
    for d, run in zip(details, query_runs, strict=True):
        d["sql_s"] = sum(e["s"] for e in run)
    return {
        "mode": mode,
        "checks": checks,
        "times": times,
        "details": details,
        "queries": summarise_queries(path, query_runs),
        "stalls": stalls,
        "base_rss_mb": base_rss,
        "peak_rss_mb": peak_rss,
        "traced_peak_mb": traced_peak / 2**20,
    }


def run_child(mode: str, path: Path, runs: int, timeout: float) -> dict[str, Any]:
    """The child's results; on timeout {"timeout": seconds, "pending": the statement still running, "done": [...]}."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--db", str(path), "--runs", str(runs)]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT, timeout=timeout)
    except subprocess.TimeoutExpired as exc:  # run() has killed the child
        stderr = exc.stderr.decode() if isinstance(exc.stderr, bytes) else exc.stderr or ""
        started = [line.split(" ", 1)[1] for line in stderr.splitlines() if line.startswith("start ")]
        done = [line.split(" ", 1)[1] for line in stderr.splitlines() if line.startswith("done ")]
        pending = started[-1] if len(started) > len(done) else "?"
        return {"mode": mode, "timeout": timeout, "pending": pending, "done": done}
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"child {mode} failed with status {proc.returncode}")
    return json.loads(proc.stdout.splitlines()[-1])


# --- report ---------------------------------------------------------------------------------------------------


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import aiosqlite
    import matplotlib
    import openpyxl

    return (
        f'`nproc` {os.cpu_count()}, CPU "{model}", Python {platform.python_version()}, SQLite '
        f"{sqlite3.sqlite_version}, aiosqlite {aiosqlite.__version__}, openpyxl {openpyxl.__version__}, "
        f"matplotlib {matplotlib.__version__}"
    )


def query_table(queries: list[dict]) -> list[str]:
    out = [
        "| # | repository method | rows | time (median) | full scan of answers/meetings |",
        "| ---: | --- | ---: | ---: | --- |",
    ]
    for i, q in enumerate(queries, 1):
        scans = "; ".join(f"`{s}`" for s in q["scans"]) or "—"
        out.append(f"| {i} | `{q['caller']}` | {q['rows']:,} | {fmt_s(q['median_s'])} | {scans} |")
    return out


def plans(queries: list[dict]) -> list[str]:
    out = []
    seen: set[str] = set()
    for i, q in enumerate(queries, 1):
        if q["sql"] in seen:
            continue
        seen.add(q["sql"])
        out.append(f"{i}. `{q['caller']}`")
        out.append("")
        out.extend("       " + line for line in q["plan"])
        out.append("")
    return out


def _median(values: Any) -> float:
    return statistics.median(list(values))


def _rss(r: dict) -> str:
    """The stall and RSS cells."""
    return f"{fmt_s(_median(r['stalls']))} | {r['base_rss_mb']:.0f} → {r['peak_rss_mb']:.0f} MB"


def _unfinished(name: str, r: dict, goal: str) -> str:
    done = ", ".join(r["done"]) or "none"
    return (
        f"| {name} | — | **did not finish in {r['timeout']:g} s** (killed while running `{r['pending']}`;"
        f" statements finished before: {done}) | {goal} | — | — | — | — |"
    )


def report(args: argparse.Namespace, gen: dict[str, Any], results: dict[str, dict]) -> str:
    counts = gen["counts"]
    lines = [f"Machine: {machine()}.", ""]
    if gen["seconds"]:
        lines += [
            f"Data (seed {args.seed}, generated in {gen['seconds']:.1f} s, {gen['file_mb']:.1f} MB file): "
            + ", ".join(f"{k} {v:,}" for k, v in counts.items())
            + f"; the calendar campaigns' response rate {gen['calendar_rate']:.0%}.",
            "",
        ]
    else:
        lines += [f"Data: the kept file {args.db} ({gen['file_mb']:.1f} MB): "
                  + ", ".join(f"{k} {v:,}" for k, v in counts.items()) + ".", ""]  # fmt: skip
    if args.drop_index:
        lines += [f"Indexes dropped before measuring: {', '.join(args.drop_index)}.", ""]
    lines += [
        "| operation | runs | wall time | goal | longest event-loop stall | RSS after setup → peak | tracemalloc peak"
        " | output |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    s, c, e = results.get("summary"), results.get("charts"), results.get("export")
    summary_goal, export_goal = f"< {SUMMARY_GOAL_S:g} s", f"< {EXPORT_GOAL_S:g} s"
    if s and "timeout" in s:
        lines.append(_unfinished("/summary (text)", s, summary_goal))
    elif s:
        lines.append(
            f"| /summary (text) | {len(s['times'])} | median {fmt_s(_median(s['times']))} (first "
            f"{fmt_s(s['times'][0])}; SQL {fmt_s(_median(d['sql_s'] for d in s['details']))}) | {summary_goal} | "
            f"{_rss(s)} | {s['traced_peak_mb']:.1f} MB | {s['details'][0]['chars']:,} characters |"
        )
    if c and "timeout" in c:
        lines.append(_unfinished("/summary charts", c, "—"))
    elif c:
        lines.append(
            f"| /summary charts | {len(c['times'])} | median {fmt_s(_median(c['times']))} (PNGs "
            f"{fmt_s(_median(d['render_s'] for d in c['details']))}; first run's PNGs "
            f"{fmt_s(c['details'][0]['render_s'])}) | — | {_rss(c)} | {c['traced_peak_mb']:.1f} MB | 3 PNG, "
            f"{' + '.join(f'{b / 1024:.0f}' for b in c['details'][0]['png_bytes'])} KB |"
        )
    p = results.get("proposed")
    split = []
    for name, r in (("/export (XLSX)", e), ("/export, proposed SQL", p)):
        if r and "timeout" in r:
            lines.append(_unfinished(name, r, export_goal))
        elif r:
            lines.append(
                f"| {name} | {len(r['times'])} | best {fmt_s(min(r['times']))}, median "
                f"{fmt_s(_median(r['times']))} | {export_goal} | {_rss(r)} | {r['traced_peak_mb']:.1f} MB | "
                f"{r['details'][0]['xlsx_bytes'] / 2**20:.1f} MB XLSX |"
            )
            split.append(
                f"{name} split (median): SQL {fmt_s(_median(d['sql_s'] for d in r['details']))}, rows (Python) "
                f"{fmt_s(_median(d['collect_s'] - d['sql_s'] for d in r['details']))}, rows → sheets "
                f"{fmt_s(_median(d['sheets_s'] for d in r['details']))}, workbook (export_workbook) "
                f"{fmt_s(_median(d['workbook_s'] for d in r['details']))}. Sheet rows: "
                + ", ".join(f"{k} {v:,}" for k, v in r["details"][0]["sheet_rows"].items())
                + "."
            )
    lines += ["", *split] if split else []
    if p and p.get("checks"):
        lines += [
            "",
            "| statement | the app's (storage/reports.py) | proposed | same rows |",
            "| --- | ---: | ---: | --- |",
            *(
                f"| `ReportRepo.{k}` | {fmt_s(v['app_s'])} | {fmt_s(v['proposed_s'])} | "
                f"{'yes' if v['same'] else 'NO'} |"
                for k, v in p["checks"].items()
            ),
        ]
    shown: set[str] = set()
    for name, r in (("/summary", s), ("/export", e), ("/export with the proposed SQL", p)):
        if not r or "timeout" in r:
            continue
        lines += [
            "",
            f"SQL of {name} (each statement as the repositories run it; time includes aiosqlite's thread hop):",
            "",
            *query_table(r["queries"]),
        ]
    for name, r in (("/summary", s), ("/export", e), ("/export with the proposed SQL", p)):
        if not r or "timeout" in r:
            continue
        fresh = [q for q in r["queries"] if q["sql"] not in shown]
        shown.update(q["sql"] for q in fresh)
        lines += ["", f"Query plans (EXPLAIN QUERY PLAN) of {name}" + (" (statements not shown above):" if
                  name != "/summary" else ":"), "", *plans(fresh)]  # fmt: skip
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--answers", type=int, default=200_000, help="about this many rows in `answers`")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--db", type=Path, help="use (and keep) this file; generated if it does not exist")
    parser.add_argument("--runs", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=("summary", "charts", "export", "proposed"), help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument(
        "--operations", type=lambda v: v.split(","), default=["summary", "charts", "export"],
        help="comma-separated, of summary,charts,export,proposed (proposed: /export with the SQL fixes proposed "
        "for storage/reports.py, checked against the app's rows; not in the default run)",
    )  # fmt: skip
    parser.add_argument(
        "--drop-index",
        type=lambda v: [name for name in v.split(",") if name],
        default=[],
        help="comma-separated indexes to drop before measuring (the «before» of an index; a kept --db file "
        "stays without them)",
    )
    parser.add_argument("--timeout", type=float, default=300, help="seconds per operation's child (default 300)")
    args = parser.parse_args()

    if args.child:
        print(json.dumps(asyncio.run(child(args.child, args.db, args.runs)), ensure_ascii=False))
        return

    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        path = args.db or Path(tmp) / "reports.sqlite3"
        if path.exists():
            conn = sqlite3.connect(path)
            counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("participants", "answers")}
            conn.close()
            gen = {"counts": counts, "calendar_rate": 0.0, "seconds": 0.0, "file_mb": path.stat().st_size / 2**20}
            asyncio.run(_create_schema(path))  # apply any newer migration (an index) to the kept file
        else:
            print(f"generating {args.participants:,} participants, ~{args.answers:,} answers …", file=sys.stderr)
            gen = generate(path, args.participants, args.answers, args.seed)
            print(f"  done in {gen['seconds']:.1f} s: {gen['counts']}", file=sys.stderr)
        if args.drop_index:
            conn = sqlite3.connect(path)
            for name in args.drop_index:
                if not re.fullmatch(r"\w+", name):
                    raise SystemExit(f"not an index name: {name!r}")
                conn.execute(f"DROP INDEX IF EXISTS {name}")
            conn.close()
        results = {}
        for mode, runs in (("summary", 5), ("charts", 5), ("export", 3), ("proposed", 3)):
            if mode not in args.operations:
                continue
            print(f"measuring {mode} ({runs} runs + 1 under tracemalloc) …", file=sys.stderr)
            results[mode] = run_child(mode, path, runs, args.timeout)
        if args.json:
            args.json.write_text(json.dumps({"generation": gen, "results": results}, ensure_ascii=False, indent=1))
        print(f"Command: `{' '.join([Path(sys.executable).as_posix(), *sys.argv])}`\n")
        print(report(args, gen, results))
        verdicts = []
        goals = (("summary", SUMMARY_GOAL_S, _median), ("export", EXPORT_GOAL_S, min), ("proposed", EXPORT_GOAL_S, min))
        for mode, goal, pick in goals:
            r = results.get(mode)
            if r is None:
                continue
            if "timeout" in r:
                verdicts.append(f"{mode} > {r['timeout']:g} s: MISSED")
            else:
                t = pick(r["times"])
                verdicts.append(f"{mode} {fmt_s(t)} < {goal:g} s: {'met' if t < goal else 'MISSED'}")
        print("Goals: " + "; ".join(verdicts))


if __name__ == "__main__":
    main()
