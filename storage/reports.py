"""The curator's reports as SQL aggregates (GROUP BY over indexed columns, never a loop over all rows)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock, iso, parse_iso
from bot.monitoring import GROWTH_ENTRY, PUPIL_POSITIONS, TEACHER_POSITIONS
from bot.programme import INTAKE_BY_ROLE, ArchivedYear, Role
from storage.database import Database
from storage.matching import archived_years

_VALUE = "CAST(json_extract(a.value, '$') AS REAL)"


@dataclass(frozen=True)
class RoleCount:
    role: str
    people: int
    consented: int
    waiting: int  # minors waiting for a parent's consent


@dataclass(frozen=True)
class PeriodItem:
    period: str
    question_id: str
    mean: float
    n: int


@dataclass(frozen=True)
class GrowthItem:
    question_id: str
    entry: float
    end: float
    n: int


@dataclass(frozen=True)
class MentorRank:
    mentor_id: int
    name: str
    ratings: int
    mean: float | None
    nominations: int


class ReportRepo:
    def __init__(self, db: Database, clock: Clock, year: ArchivedYear | None = None) -> None:
        self._db = db
        self._clock = clock
        self._year = year

    # --- the programme year the figures are of (the current one, or an archived one) --------------------------
    def of_year(self, year: ArchivedYear | None) -> ReportRepo:
        """The same reports over an archived year: the pairs it ended with, its meetings, its campaigns."""
        return ReportRepo(self._db, self._clock, year)

    @property
    def year(self) -> ArchivedYear | None:
        return self._year

    async def years(self) -> list[ArchivedYear]:
        return await archived_years(self._db)

    def _pairs(self, x: str = "x") -> str:
        """The pairs the figures count: the active ones, or those the archived year ended with. (Values inlined
        are the year's id and its ISO moment, never user input.)"""
        if self._year is None:
            return f"{x}.dissolved_at IS NULL"
        return f"{x}.year_id={int(self._year.id)} AND {x}.dissolved_at='{iso(self._year.finished_at)}'"

    def _year_pairs(self) -> str:
        """Every pair of the year, the dissolved ones too (their meetings and check-ins are the year's)."""
        year = "IS NULL" if self._year is None else f"={int(self._year.id)}"
        return f"SELECT id FROM pairs WHERE year_id {year}"

    def _people(self, p: str = "p") -> str:
        """The participants of the year: everyone now, or those who had joined by the archived year's finish
        (less those who withdrew since: nothing of them is left)."""
        if self._year is None:
            return "1=1"
        return f"{p}.joined_at <= '{iso(self._year.finished_at)}'"

    def _campaigns(self, c: str = "c") -> str:
        """The year's campaigns: opened after the previous year's finish (and, for an archived one, by its own)."""
        if self._year is None:
            return f"{c}.opens_at > COALESCE((SELECT MAX(finished_at) FROM programme_years), '')"
        started = iso(self._year.started_at) if self._year.started_at else ""
        return f"{c}.opens_at > '{started}' AND {c}.opens_at <= '{iso(self._year.finished_at)}'"

    async def people_by_role(self) -> list[RoleCount]:
        """Participants by the role they joined as: everyone, those with consent, those waiting for a parent.

        A participant is whoever joined by an invite and has not withdrawn (a withdrawn person's row is gone; a
        parent who consented for a child is not a participant). Every head count of people (/summary,
        /participants, the export's sheets, the municipal sheet) is this one or its consented part."""
        rows = await self._db.fetchall(
            "SELECT role, COUNT(*) AS people, COUNT(consent_at) AS consented,"
            " SUM(consent_at IS NULL AND parent_code IS NOT NULL) AS waiting FROM participants p"
            f" WHERE {self._people()} GROUP BY role"
        )
        order = {role.value: n for n, role in enumerate(Role)}
        return sorted(
            (RoleCount(r["role"], r["people"], r["consented"], r["waiting"] or 0) for r in rows),
            key=lambda c: order.get(c.role, len(order)),
        )

    async def people_by_messenger(self) -> dict[str, int]:
        """The year's participants (as `people_by_role` counts them) on each messenger."""
        rows = await self._db.fetchall(
            f"SELECT messenger, COUNT(*) AS n FROM participants p WHERE {self._people()} GROUP BY messenger"
        )
        return {r["messenger"]: r["n"] for r in rows}

    async def pairs_by_form(self) -> list[tuple[str, int, int, int]]:
        """(form, pairs, groups, mentees in them) of active pairs and groups.

        An active pair or group is a confirmed one not dissolved; its mentees are the current ones (a mentee who
        withdrew is not counted), and it is a pair with one of them, a group with more. The pairs sheet, the
        municipal sheet and the stages chart count the same pairs and mentees."""
        rows = await self._db.fetchall(
            "SELECT form, SUM(size = 1) AS pairs, SUM(size > 1) AS groups, SUM(size) AS mentees FROM"
            " (SELECT x.form, COUNT(m.mentee_id) AS size FROM pairs x LEFT JOIN pair_members m ON m.pair_id=x.id"
            f"  WHERE {self._pairs()} GROUP BY x.id) GROUP BY form ORDER BY form"
        )
        return [(r["form"], r["pairs"] or 0, r["groups"] or 0, r["mentees"] or 0) for r in rows]

    async def meetings_by_stage(self) -> dict[str, dict[str, int]]:
        rows = await self._db.fetchall(
            f"SELECT stage, status, COUNT(*) AS n FROM meetings WHERE pair_id IN ({self._year_pairs()})"
            " GROUP BY stage, status"
        )
        out: dict[str, dict[str, int]] = {}
        for r in rows:
            out.setdefault(r["stage"], {})[r["status"]] = r["n"]
        return out

    async def furthest_stages(self) -> list[str | None]:
        """For every active pair, the furthest stage held (None: no meeting held yet)."""
        rows = await self._db.fetchall(
            "SELECT (SELECT m.stage FROM meetings m WHERE m.pair_id=x.id AND m.status='held'"
            f" ORDER BY m.starts_at DESC LIMIT 1) AS stage FROM pairs x WHERE {self._pairs()}"
        )
        return [r["stage"] for r in rows]

    async def quiet_pairs(self, days: int, now: datetime | None = None) -> int:
        now = now or (self._year.finished_at if self._year else self._clock.now())
        return int(
            await self._db.fetchval(
                f"SELECT COUNT(*) FROM pairs x WHERE {self._pairs()} AND COALESCE((SELECT MAX(m.starts_at)"
                " FROM meetings m WHERE m.pair_id=x.id AND m.status='held'), x.confirmed_at) <= ?",
                (iso(now - timedelta(days=days)),),
            )
        )

    async def campaign_openings(self, survey: str) -> list[tuple[int, datetime]]:
        """(campaign id, opened at) of every campaign of a survey, oldest first."""
        rows = await self._db.fetchall(
            f"SELECT id, opens_at FROM campaigns c WHERE survey=? AND {self._campaigns()} ORDER BY id", (survey,)
        )
        return [(r["id"], parse_iso(r["opens_at"])) for r in rows]

    async def period_item_means(self, periods: Mapping[int, str]) -> list[PeriodItem]:
        """Mean of every numeric answer per period and question over the campaigns mapped to each period
        (campaign id → period key); a person who answered two campaigns of one period counts once, by their
        latest answer. Only a campaign that shares its period with others looks for a person's later answer (a
        window over all the period's answers took 2.5 times as long, bench/README.md)."""
        keys: dict[str, list[object]] = {}
        for campaign_id, period in periods.items():
            others = [f"c{other}" for other, p in periods.items() if p == period and other != campaign_id]
            keys[f"c{campaign_id}"] = [period, others]
        rows = await self._db.fetchall(
            "WITH period(k, p, others) AS (SELECT key, json_extract(value, '$[0]'), json_extract(value, '$[1]')"
            "  FROM json_each(?))"
            f" SELECT pr.p AS period, a.question_id, AVG({_VALUE}) AS mean, COUNT(*) AS n"
            " FROM period pr JOIN answers a ON a.questionnaire_id=pr.k"
            " WHERE json_type(a.value) IN ('integer', 'real') AND (pr.others='[]' OR NOT EXISTS (SELECT 1"
            "  FROM json_each(pr.others) o JOIN answers b ON b.participant_id=a.participant_id"
            "  AND b.questionnaire_id=o.value AND b.question_id=a.question_id"
            "  WHERE json_type(b.value) IN ('integer', 'real') AND (b.answered_at > a.answered_at"
            "  OR (b.answered_at=a.answered_at AND b.questionnaire_id > a.questionnaire_id))))"
            " GROUP BY pr.p, a.question_id ORDER BY pr.p",
            (json.dumps(keys),),
        )
        return [PeriodItem(r["period"], r["question_id"], float(r["mean"]), r["n"]) for r in rows]

    async def growth(self) -> list[GrowthItem]:
        """Entry → end self-assessment per item, over participants who answered both. A person's entry is their
        answer to an entry campaign (sent when a pair starts; without one, their first growth answer), the end
        their latest answer after it to any other growth campaign, the calendar's or one the curator started."""
        # Bare columns of MIN/MAX (SQLite takes them from the row of the extreme): half the time of windows.
        rows = await self._db.fetchall(
            "WITH g AS MATERIALIZED (SELECT a.participant_id AS pid, a.question_id AS q, a.questionnaire_id AS k,"
            "  CAST(json_extract(a.value, '$') AS REAL) AS v, a.answered_at AS at, c.kind = ? AS is_entry"
            "  FROM campaigns c JOIN answers a ON a.questionnaire_id='c' || c.id"
            f"  WHERE c.survey='growth' AND {self._campaigns()} AND json_type(a.value) IN ('integer', 'real')),"
            " entry AS (SELECT pid, q, k, v, at, MIN((1 - is_entry) || at || k) FROM g GROUP BY pid, q),"
            " fin AS (SELECT e.pid, e.q, e.v AS entry, x.v AS fin, MAX(x.at || x.k) FROM entry e JOIN g x"
            "  ON x.pid=e.pid AND x.q=e.q AND x.k<>e.k AND NOT x.is_entry AND x.at >= e.at GROUP BY e.pid, e.q)"
            " SELECT q AS question_id, AVG(entry) AS entry, AVG(fin) AS fin, COUNT(*) AS n FROM fin GROUP BY q",
            (GROWTH_ENTRY,),
        )
        return [GrowthItem(r["question_id"], float(r["entry"]), float(r["fin"]), r["n"]) for r in rows]

    async def mentor_ranking(self) -> list[MentorRank]:
        """Mentors by their mentees' final survey: nominations for the closing event, then the mean rating.

        One vote per mentee per programme year (their latest final answer), for the mentor of the pair they were
        in when they answered: a pair dissolved and formed again does not count a mentee's answer twice."""
        year = "(CAST(strftime('%Y', a.answered_at) AS INTEGER) - (CAST(strftime('%m', a.answered_at) AS INTEGER) < 9))"
        rows = await self._db.fetchall(
            "WITH votes AS (SELECT a.participant_id AS mentee, a.questionnaire_id AS k, a.answered_at AS answered,"
            "  CAST(json_extract(a.value, '$') AS REAL) AS rating, ROW_NUMBER() OVER (PARTITION BY a.participant_id,"
            f"  {year} ORDER BY a.answered_at DESC, a.questionnaire_id DESC) AS rn"
            "  FROM campaigns c JOIN answers a ON a.questionnaire_id='c' || c.id AND a.question_id='mentor_rating'"
            f"  WHERE c.survey='final' AND {self._campaigns()}),"
            " voted AS (SELECT v.mentee, v.k, v.rating, x.mentor_id, ROW_NUMBER() OVER (PARTITION BY v.mentee, v.k"
            "  ORDER BY x.confirmed_at <= v.answered AND (x.dissolved_at IS NULL OR x.dissolved_at > v.answered) DESC,"
            "  x.confirmed_at DESC) AS pick FROM votes v JOIN pair_members m ON m.mentee_id=v.mentee"
            "  JOIN pairs x ON x.id=m.pair_id AND x.mentor_id IS NOT NULL WHERE v.rn=1),"
            " counted AS (SELECT t.mentor_id, t.rating, COALESCE(json_extract(nm.value, '$'), '')='yes' AS nominated"
            "  FROM voted t LEFT JOIN answers nm ON nm.participant_id=t.mentee AND nm.questionnaire_id=t.k"
            "   AND nm.question_id='nominate' WHERE t.pick=1)"
            " SELECT mentor_id, (SELECT json_extract(n.value, '$') FROM answers n WHERE n.participant_id=mentor_id"
            "  AND n.question_id='name' LIMIT 1) AS name,"
            " COUNT(*) AS ratings, AVG(rating) AS mean, SUM(nominated) AS nominations"
            " FROM counted GROUP BY mentor_id ORDER BY nominations DESC, mean DESC"
        )
        return [
            MentorRank(
                r["mentor_id"], r["name"] or f"P-{r['mentor_id']:05d}", r["ratings"], r["mean"], r["nominations"]
            )
            for r in rows
        ]

    # --- rows for the export -----------------------------------------------------------------------------------
    async def accounting(self) -> list[dict]:
        """5.1: one row per participant — form, pair, dates, meetings held, surveys answered.

        Set-based (CTEs) rather than correlated subqueries: «a pair where the person is mentor OR mentee» cannot
        use an index per participant (14 s on 10,000 people; this is ~80 ms, bench/README.md)."""
        rows = await self._db.fetchall(
            f"WITH yp(id) AS ({self._year_pairs()}),"
            " member(pid, pair_id) AS (SELECT mentor_id, id FROM pairs WHERE mentor_id IS NOT NULL AND id IN yp"
            "  UNION SELECT mentee_id, pair_id FROM pair_members WHERE mentee_id IS NOT NULL AND pair_id IN yp),"
            " held(pair_id, n) AS (SELECT pair_id, COUNT(*) FROM meetings WHERE status='held' GROUP BY pair_id),"
            f" per(pid, pair_id, held) AS (SELECT mb.pid, MIN(CASE WHEN {self._pairs()} THEN x.id END),"
            "  SUM(COALESCE(h.n, 0)) FROM member mb JOIN pairs x ON x.id=mb.pair_id"
            "  LEFT JOIN held h ON h.pair_id=mb.pair_id GROUP BY mb.pid),"
            " done(pid, n) AS (SELECT r.participant_id, COUNT(*) FROM campaign_recipients r JOIN campaigns c"
            f"  ON c.id=r.campaign_id WHERE r.completed_at IS NOT NULL AND {self._campaigns()}"
            "  GROUP BY r.participant_id)"
            " SELECT p.id, p.role, p.form, p.joined_at, p.consent_at, p.survey_done_at,"
            " (SELECT json_extract(a.value, '$') FROM answers a WHERE a.participant_id=p.id AND a.question_id='name'"
            "  AND a.questionnaire_id LIKE 'intake_%') AS name,"
            " per.pair_id, COALESCE(per.held, 0) AS held,"
            " COALESCE(done.n, 0) + (p.survey_done_at IS NOT NULL) AS surveys"
            " FROM participants p LEFT JOIN per ON per.pid=p.id LEFT JOIN done ON done.pid=p.id"
            f" WHERE {self._people()} ORDER BY p.id"
        )
        return [dict(r) for r in rows]

    async def all_answers(self) -> list[dict]:
        """Every answer with its campaign and, for a campaign's answer, the questionnaire that person was asked
        (`asked`: a quality campaign asks mentees and mentors different questions under one key); the join goes
        by the campaign's key («c12» → 12), not by text."""
        rows = await self._db.fetchall(
            "SELECT a.participant_id, p.role, a.questionnaire_id, a.question_id, a.value, a.answered_at,"
            " c.survey, c.title, r.questionnaire_id AS asked"
            " FROM answers a JOIN participants p ON p.id=a.participant_id"
            " LEFT JOIN campaigns c ON a.questionnaire_id GLOB 'c[0-9]*'"
            " AND c.id=CAST(substr(a.questionnaire_id, 2) AS INTEGER)"
            " LEFT JOIN campaign_recipients r ON r.campaign_id=c.id AND r.participant_id=a.participant_id"
            f" WHERE c.id IS NULL OR {self._campaigns()} ORDER BY a.participant_id, a.questionnaire_id"
        )
        return [dict(r) for r in rows]

    async def all_checkins(self) -> list[dict]:
        """Every answer about a meeting (held? how useful? what was done / why not) and about a pair's fit, for
        the export's «Ответы» sheet: `kind` «meeting» or «fit»."""
        rows = await self._db.fetchall(
            "SELECT 'meeting' AS kind, c.participant_id, m.pair_id, m.stage, m.starts_at, c.answer, c.usefulness,"
            " c.note, c.at FROM checkins c JOIN meetings m ON m.id=c.meeting_id"
            f" WHERE m.pair_id IN ({self._year_pairs()})"
            " UNION ALL SELECT 'fit', f.participant_id, f.pair_id, NULL, NULL, f.fits, NULL, NULL, f.at"
            f" FROM pair_fit f WHERE f.pair_id IN ({self._year_pairs()}) ORDER BY 2, 9"
        )
        return [dict(r) for r in rows]

    async def all_meetings(self) -> list[dict]:
        rows = await self._db.fetchall(
            "SELECT m.id, m.pair_id, m.stage, m.starts_at, m.place, m.topic, m.status,"
            " (SELECT COUNT(*) FROM checkins c WHERE c.meeting_id=m.id) AS checkins,"
            " (SELECT AVG(c.usefulness) FROM checkins c WHERE c.meeting_id=m.id) AS usefulness"
            f" FROM meetings m WHERE m.pair_id IN ({self._year_pairs()}) ORDER BY m.starts_at"
        )
        return [dict(r) for r in rows]

    async def pair_rows(self) -> list[dict]:
        """The active pairs and groups of `pairs_by_form`; `size` counts the current mentees (one who withdrew is
        listed as None in `mentees`, for the pair's history, but not counted)."""
        rows = await self._db.fetchall(
            "SELECT x.id, x.form, x.mentor_id, x.confirmed_at, group_concat(COALESCE(m.mentee_id, 0)) AS mentees,"
            " COUNT(m.mentee_id) AS size FROM pairs x LEFT JOIN pair_members m ON m.pair_id=x.id"
            f" WHERE {self._pairs()} GROUP BY x.id ORDER BY x.form, x.id"
        )
        return [{**dict(r), "mentees": [int(v) or None for v in (r["mentees"] or "").split(",") if v]} for r in rows]

    async def campaign_questionnaires(self) -> dict[str, str]:
        """Response key («c12») → the questionnaire each recipient answered (a set's first one per key suffices
        for captions: quality items share ids between the mentee and mentor questionnaires)."""
        rows = await self._db.fetchall(
            "SELECT 'c' || campaign_id AS k, MIN(questionnaire_id) AS q FROM campaign_recipients GROUP BY campaign_id"
        )
        return {r["k"]: r["q"] for r in rows}

    async def involved_teachers_and_pupils(self) -> tuple[int, int]:
        """(teachers, pupils) among consented participants, by what each person is: a young teacher, a pupil, or a
        mentor by the position they gave in the mentor questionnaire (an adult teacher or methodist; a senior pupil)."""
        teacher = ", ".join(f"'{p}'" for p in TEACHER_POSITIONS)
        pupil = ", ".join(f"'{p}'" for p in PUPIL_POSITIONS)
        row = await self._db.fetchone(
            "SELECT SUM(p.role=? OR (p.role=? AND COALESCE(p.is_adult, 1)=1"
            f"  AND json_extract(a.value, '$') IN ({teacher}))) AS teachers,"
            f" SUM(p.role=? OR (p.role=? AND json_extract(a.value, '$') IN ({pupil}))) AS pupils"
            " FROM participants p LEFT JOIN answers a ON a.participant_id=p.id"
            "  AND a.questionnaire_id=? AND a.question_id='position'"
            f" WHERE p.consent_at IS NOT NULL AND {self._people()}",
            (Role.MENTEE_TEACHER.value, Role.MENTOR.value, Role.MENTEE_PUPIL.value, Role.MENTOR.value,
             INTAKE_BY_ROLE[Role.MENTOR]),
        )  # fmt: skip
        return (row["teachers"] or 0, row["pupils"] or 0) if row else (0, 0)
