"""Forming pairs: the group meeting, attendance, preference rounds, constraints and confirmed pairs."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import Clock, iso, parse_iso
from bot.flows.events import Messenger
from bot.pairs import Candidate, Member, Pair
from bot.programme import ArchivedYear, Form, Role
from storage.database import Database, Transaction

_NAME = (
    "(SELECT json_extract(a.value, '$') FROM answers a WHERE a.participant_id={col} AND a.question_id='name'"
    " ORDER BY a.answered_at LIMIT 1)"
)


def name_sql(col: str) -> str:
    """The SQL expression of the name a participant gave in their questionnaire (`col`: their id's column)."""
    return _NAME.format(col=col)

#: A participant (alias p) /match may propose: not in an archived year's pairs, or they confirmed taking part
#: after the latest year they were in (migration 0015). Last year's groups are not recreated on their own.
_ELIGIBLE = (
    "COALESCE((SELECT MAX(y) FROM (SELECT x.year_id AS y FROM pairs x WHERE x.mentor_id=p.id UNION ALL"
    "  SELECT x.year_id FROM pair_members m JOIN pairs x ON x.id=m.pair_id WHERE m.mentee_id=p.id)), 0)"
    " <= COALESCE((SELECT MAX(r.year_id) FROM year_renewals r WHERE r.participant_id=p.id), 0)"
)


@dataclass(frozen=True)
class GroupMeeting:
    id: int
    form: Form
    starts_at: datetime
    place: str


@dataclass(frozen=True)
class PreferenceRound:
    id: int
    form: Form
    meeting_id: int | None
    from_attendees: bool
    opened_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class ProposedGroup:
    mentor_id: int
    members: Sequence[tuple[int, float, str]]  # mentee id, score, reasons in words


class MatchingRepo:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # --- candidates -----------------------------------------------------------------------------------
    async def candidates(self, form: Form) -> list[Candidate]:
        """Consented participants of the form with the intake done; mentees already paired are left out (but
        not those whose mentor withdrew), mentors carry how many mentees they already have."""
        rows = await self._db.fetchall(
            "SELECT p.id, p.account_id AS telegram_id, p.role,"
            " (SELECT COUNT(*) FROM pair_members m JOIN pairs x ON x.id=m.pair_id"
            "   WHERE x.dissolved_at IS NULL AND x.mentor_id IS NOT NULL AND m.mentee_id=p.id) AS as_mentee,"
            " (SELECT COUNT(*) FROM pair_members m JOIN pairs x ON x.id=m.pair_id"
            "   WHERE x.dissolved_at IS NULL AND x.mentor_id=p.id AND m.mentee_id IS NOT NULL) AS taken"
            " FROM participants p WHERE p.form=? AND p.consent_at IS NOT NULL AND p.survey_done_at IS NOT NULL"
            f" AND {_ELIGIBLE} ORDER BY p.id",
            (form.value,),
        )
        ids = [r["id"] for r in rows if not r["as_mentee"]]
        answers = await self.answers_of(ids)
        result = []
        for r in rows:
            if r["as_mentee"]:
                continue
            mine = answers.get(r["id"], {})
            result.append(
                Candidate(
                    id=r["id"],
                    telegram_id=r["telegram_id"],
                    is_mentor=r["role"] == Role.MENTOR.value,
                    name=str(mine.get("name") or f"P-{r['id']:05d}"),
                    answers=mine,
                    taken=r["taken"],
                )
            )
        return result

    async def answers_of(self, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        id_list = list(ids)
        if not id_list:
            return {}
        marks = ",".join("?" * len(id_list))
        rows = await self._db.fetchall(
            "SELECT a.participant_id, a.question_id, a.value FROM answers a JOIN participants p"
            " ON p.id=a.participant_id WHERE a.participant_id IN (" + marks + ")"
            " AND a.questionnaire_id LIKE 'intake_%'",
            id_list,
        )
        out: dict[int, dict[str, Any]] = {}
        for r in rows:
            out.setdefault(r["participant_id"], {})[r["question_id"]] = (
                json.loads(r["value"]) if r["value"] is not None else None
            )
        return out

    async def forms_with_candidates(self) -> list[Form]:
        rows = await self._db.fetchall(
            "SELECT DISTINCT form FROM participants p WHERE consent_at IS NOT NULL AND survey_done_at IS NOT NULL"
            f" AND {_ELIGIBLE} ORDER BY form"
        )
        return [Form(r["form"]) for r in rows]

    # --- the group meeting ------------------------------------------------------------------------------
    async def create_meeting(self, form: Form, starts_at: datetime, place: str, created_by: int) -> GroupMeeting:
        meeting_id = await self._db.insert(
            "INSERT INTO group_meetings(form, starts_at, place, created_by, created_at) VALUES (?,?,?,?,?)",
            (form.value, iso(starts_at), place, created_by, iso(self._clock.now())),
        )
        return GroupMeeting(meeting_id, form, starts_at, place)

    async def latest_meeting(self, form: Form) -> GroupMeeting | None:
        row = await self._db.fetchone(
            "SELECT * FROM group_meetings WHERE form=? ORDER BY id DESC LIMIT 1", (form.value,)
        )
        if row is None:
            return None
        return GroupMeeting(row["id"], Form(row["form"]), parse_iso(row["starts_at"]), row["place"])

    async def toggle_attendance(self, meeting_id: int, participant_id: int) -> bool:
        """Flip whether the person was at the meeting; returns the new value."""
        removed = await self._db.execute(
            "DELETE FROM attendance WHERE meeting_id=? AND participant_id=?", (meeting_id, participant_id)
        )
        if removed:
            return False
        await self._db.execute(
            "INSERT INTO attendance(meeting_id, participant_id) VALUES (?,?)", (meeting_id, participant_id)
        )
        return True

    async def attendees(self, meeting_id: int) -> set[int]:
        rows = await self._db.fetchall("SELECT participant_id FROM attendance WHERE meeting_id=?", (meeting_id,))
        return {r["participant_id"] for r in rows}

    # --- preference rounds --------------------------------------------------------------------------------
    async def open_round(self, form: Form, meeting_id: int | None, from_attendees: bool) -> PreferenceRound:
        now = iso(self._clock.now())
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE preference_rounds SET closed_at=? WHERE form=? AND closed_at IS NULL", (now, form.value)
            )
            round_id = await tx.insert(
                "INSERT INTO preference_rounds(form, meeting_id, from_attendees, opened_at) VALUES (?,?,?,?)",
                (form.value, meeting_id, int(from_attendees), now),
            )
        found = await self.round(round_id)
        assert found is not None
        return found

    async def round(self, round_id: int) -> PreferenceRound | None:
        row = await self._db.fetchone("SELECT * FROM preference_rounds WHERE id=?", (round_id,))
        if row is None:
            return None
        return PreferenceRound(
            id=row["id"],
            form=Form(row["form"]),
            meeting_id=row["meeting_id"],
            from_attendees=bool(row["from_attendees"]),
            opened_at=parse_iso(row["opened_at"]),
            closed_at=parse_iso(row["closed_at"]) if row["closed_at"] else None,
        )

    async def open_rounds(self) -> list[PreferenceRound]:
        rows = await self._db.fetchall("SELECT id FROM preference_rounds WHERE closed_at IS NULL ORDER BY id")
        found = [await self.round(r["id"]) for r in rows]
        return [r for r in found if r is not None]

    async def open_round_for(self, form: Form) -> PreferenceRound | None:
        round_id = await self._db.fetchval(
            "SELECT id FROM preference_rounds WHERE form=? AND closed_at IS NULL ORDER BY id DESC LIMIT 1",
            (form.value,),
        )
        return await self.round(round_id) if round_id else None

    async def latest_round(self, form: Form) -> PreferenceRound | None:
        round_id = await self._db.fetchval(
            "SELECT id FROM preference_rounds WHERE form=? ORDER BY id DESC LIMIT 1", (form.value,)
        )
        return await self.round(round_id) if round_id else None

    async def round_pool(self, current: PreferenceRound) -> list[Candidate]:
        """Who answers a round: the form's candidates, or those marked at the group meeting."""
        candidates = await self.candidates(current.form)
        if current.from_attendees and current.meeting_id is not None:
            present = await self.attendees(current.meeting_id)
            candidates = [c for c in candidates if c.id in present]
        return candidates

    async def close_round(self, round_id: int) -> None:
        await self._db.execute(
            "UPDATE preference_rounds SET closed_at=? WHERE id=? AND closed_at IS NULL",
            (iso(self._clock.now()), round_id),
        )

    async def draft_choices(self, round_id: int, participant_id: int) -> tuple[list[int], bool]:
        """(choices so far, submitted?)"""
        row = await self._db.fetchone(
            "SELECT choices, submitted_at FROM preferences WHERE round_id=? AND participant_id=?",
            (round_id, participant_id),
        )
        if row is None:
            return [], False
        return list(json.loads(row["choices"])), row["submitted_at"] is not None

    async def save_choices(
        self, round_id: int, participant_id: int, choices: Sequence[int], *, submit: bool = False
    ) -> None:
        await self._db.execute(
            "INSERT INTO preferences(round_id, participant_id, choices, submitted_at) VALUES (?,?,?,?)"
            " ON CONFLICT DO UPDATE SET choices=excluded.choices,"
            " submitted_at=COALESCE(excluded.submitted_at, preferences.submitted_at)",
            (round_id, participant_id, json.dumps(list(choices)), iso(self._clock.now()) if submit else None),
        )

    async def submitted(self, round_id: int) -> dict[int, list[int]]:
        rows = await self._db.fetchall(
            "SELECT participant_id, choices FROM preferences WHERE round_id=? AND submitted_at IS NOT NULL",
            (round_id,),
        )
        return {r["participant_id"]: list(json.loads(r["choices"])) for r in rows}

    # --- constraints ------------------------------------------------------------------------------------------
    async def set_constraint(self, form: Form, mentee_id: int, mentor_id: int, kind: str) -> None:
        async with self._db.transaction() as tx:
            if kind == "pin":
                # A mentee is pinned to one mentor at most: moving replaces the earlier pin.
                await tx.execute("DELETE FROM match_constraints WHERE mentee_id=? AND kind='pin'", (mentee_id,))
            await tx.execute(
                "INSERT INTO match_constraints(form, mentee_id, mentor_id, kind, created_at) VALUES (?,?,?,?,?)"
                " ON CONFLICT DO UPDATE SET kind=excluded.kind, created_at=excluded.created_at",
                (form.value, mentee_id, mentor_id, kind, iso(self._clock.now())),
            )

    async def clear_constraints(self, form: Form) -> None:
        await self._db.execute("DELETE FROM match_constraints WHERE form=?", (form.value,))

    async def constraints(self, form: Form) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
        rows = await self._db.fetchall(
            "SELECT mentee_id, mentor_id, kind FROM match_constraints WHERE form=?", (form.value,)
        )
        pinned = {(r["mentee_id"], r["mentor_id"]) for r in rows if r["kind"] == "pin"}
        excluded = {(r["mentee_id"], r["mentor_id"]) for r in rows if r["kind"] == "exclude"}
        return pinned, excluded

    async def dissolved(self, form: Form, *, except_reasons: Collection[str] = ()) -> set[tuple[int, int]]:
        """(mentee_id, mentor_id) of the form's dissolved pairs and groups whose mentee and mentor are both still
        there, except those that ended for one of `except_reasons` (the end of the programme year)."""
        reasons = list(except_reasons)
        skip = f" AND COALESCE(x.dissolve_reason, '') NOT IN ({','.join('?' * len(reasons))})" if reasons else ""
        rows = await self._db.fetchall(
            "SELECT DISTINCT m.mentee_id, x.mentor_id FROM pairs x JOIN pair_members m ON m.pair_id=x.id"
            " WHERE x.form=? AND x.dissolved_at IS NOT NULL AND x.mentor_id IS NOT NULL"
            " AND m.mentee_id IS NOT NULL" + skip,
            (form.value, *reasons),
        )
        return {(r["mentee_id"], r["mentor_id"]) for r in rows}

    # --- pairs --------------------------------------------------------------------------------------------------
    async def create_pairs(
        self, form: Form, groups: Sequence[ProposedGroup], confirmed_by: int, *, rematched: str = "rematched"
    ) -> list[int]:
        """Fix the pairs and groups; a mentor who already leads a group of this form gets the new mentees in it.

        A pair or group whose mentor withdrew ends (with the reason `rematched`) when one of its mentees gets
        a new mentor: the others are back among the candidates then."""
        now = iso(self._clock.now())
        created: list[int] = []
        mentee_ids = [mentee_id for group in groups for mentee_id, _, _ in group.members]
        async with self._db.transaction() as tx:
            if mentee_ids:
                marks = ",".join("?" * len(mentee_ids))
                await tx.execute(
                    "UPDATE pairs SET dissolved_at=?, dissolve_reason=? WHERE dissolved_at IS NULL"
                    f" AND mentor_id IS NULL AND id IN (SELECT pair_id FROM pair_members WHERE mentee_id IN ({marks}))",
                    (now, rematched, *mentee_ids),
                )
            for group in groups:
                row = await tx.fetchone(
                    "SELECT id FROM pairs WHERE form=? AND mentor_id=? AND dissolved_at IS NULL",
                    (form.value, group.mentor_id),
                )
                if row is not None:
                    pair_id = int(row["id"])
                else:
                    pair_id = await tx.insert(
                        "INSERT INTO pairs(form, mentor_id, confirmed_at, confirmed_by) VALUES (?,?,?,?)",
                        (form.value, group.mentor_id, now, confirmed_by),
                    )
                for mentee_id, score, reasons in group.members:
                    await tx.execute(
                        "INSERT INTO pair_members(pair_id, mentee_id, score, reasons) VALUES (?,?,?,?)",
                        (pair_id, mentee_id, score, reasons),
                    )
                created.append(pair_id)
            await tx.execute("DELETE FROM match_constraints WHERE form=?", (form.value,))
            await tx.execute(
                "UPDATE preference_rounds SET closed_at=? WHERE form=? AND closed_at IS NULL", (now, form.value)
            )
        return created

    async def pairs(
        self, *, form: Form | None = None, active: bool = True, ids: Sequence[int] = (), year: int | None = None
    ) -> list[Pair]:
        """Active pairs (`active`), or every pair; `year`: the pairs an archived year ended with."""
        where: list[str] = ["1=1"]
        params: list[Any] = []
        if active and year is None:
            where.append("x.dissolved_at IS NULL")
        if year is not None:
            where.append("x.year_id=? AND x.dissolved_at=(SELECT y.finished_at FROM programme_years y WHERE y.id=?)")
            params.extend((year, year))
        if form is not None:
            where.append("x.form=?")
            params.append(form.value)
        if ids:
            where.append("x.id IN (" + ",".join("?" * len(ids)) + ")")
            params.extend(ids)
        rows = await self._db.fetchall(
            "SELECT x.*, mp.account_id AS mentor_tg, mp.messenger AS mentor_messenger, "
            + _NAME.format(col="x.mentor_id")
            + " AS mentor_name, m.rowid AS member_row, m.mentee_id, m.score, m.reasons, me.account_id AS mentee_tg,"
            " me.messenger AS mentee_messenger, "
            + _NAME.format(col="m.mentee_id")
            + " AS mentee_name"
            " FROM pairs x LEFT JOIN participants mp ON mp.id=x.mentor_id"
            " LEFT JOIN pair_members m ON m.pair_id=x.id LEFT JOIN participants me ON me.id=m.mentee_id"
            " WHERE " + " AND ".join(where) + " ORDER BY x.form, x.id, m.rowid",
            params,
        )
        pairs: dict[int, dict[str, Any]] = {}
        for r in rows:
            entry = pairs.setdefault(r["id"], {"row": r, "mentees": []})
            if r["mentee_id"] is not None:
                name = r["mentee_name"] or f"P-{r['mentee_id']:05d}"
                entry["mentees"].append(
                    Member(
                        r["mentee_id"], r["mentee_tg"], name, r["score"], r["reasons"], Messenger(r["mentee_messenger"])
                    )
                )
            elif r["member_row"] is not None:
                entry["mentees"].append(None)
        result = []
        for entry in pairs.values():
            r = entry["row"]
            mentor = None
            if r["mentor_id"] is not None:
                name = r["mentor_name"] or f"P-{r['mentor_id']:05d}"
                mentor = Member(r["mentor_id"], r["mentor_tg"], name, messenger=Messenger(r["mentor_messenger"]))
            result.append(
                Pair(
                    id=r["id"],
                    form=Form(r["form"]),
                    mentor=mentor,
                    mentees=tuple(entry["mentees"]),
                    confirmed_at=parse_iso(r["confirmed_at"]),
                    dissolved_at=parse_iso(r["dissolved_at"]) if r["dissolved_at"] else None,
                    dissolve_reason=r["dissolve_reason"],
                )
            )
        return result

    async def pair(self, pair_id: int) -> Pair | None:
        found = await self.pairs(active=False, ids=[pair_id])
        return found[0] if found else None

    async def dissolve(self, pair_id: int, reason: str) -> bool:
        changed = await self._db.execute(
            "UPDATE pairs SET dissolved_at=?, dissolve_reason=? WHERE id=? AND dissolved_at IS NULL",
            (iso(self._clock.now()), reason, pair_id),
        )
        return changed > 0

    # --- the programme year ---------------------------------------------------------------------------------------
    async def finish_year(self, label: str, finished_by: int, reason: str) -> tuple[ArchivedYear, list[int]] | None:
        """Finish the programme year in one transaction: the active pairs end (with `reason`), every pair of the
        year gets the archived year, planned meetings are cancelled (no reminders after the end), and those who
        said «да» to «continue» in the year's final survey are recorded as taking part next year.

        Returns the year and the pairs closed; None when the year has no pair (a second press)."""
        now = iso(self._clock.now())
        async with self._db.transaction() as tx:
            closed = [r[0] for r in await tx.fetchall("SELECT id FROM pairs WHERE dissolved_at IS NULL ORDER BY id")]
            if not await tx.fetchone("SELECT 1 FROM pairs WHERE year_id IS NULL LIMIT 1"):
                return None
            last = await tx.fetchone("SELECT MAX(finished_at) AS at FROM programme_years")
            started = last["at"] if last else None
            taken = {r[0] for r in await tx.fetchall("SELECT label FROM programme_years")}
            unique, n = label, 1
            while unique in taken:
                n += 1
                unique = f"{label}.{n}"
            year_id = await tx.insert(
                "INSERT INTO programme_years(label, started_at, finished_at, finished_by) VALUES (?,?,?,?)",
                (unique, started, now, finished_by),
            )
            await tx.execute(
                "UPDATE pairs SET dissolved_at=?, dissolve_reason=? WHERE dissolved_at IS NULL", (now, reason)
            )
            await tx.execute("UPDATE pairs SET year_id=? WHERE year_id IS NULL", (year_id,))
            await tx.execute(
                "UPDATE meetings SET status='cancelled', updated_at=? WHERE status='planned'"
                " AND pair_id IN (SELECT id FROM pairs WHERE year_id=?)",
                (now, year_id),
            )
            await tx.execute(
                "INSERT OR IGNORE INTO year_renewals(participant_id, year_id, source, renewed_at)"
                " SELECT DISTINCT a.participant_id, ?, 'final', ? FROM campaigns c"
                " JOIN answers a ON a.questionnaire_id='c' || c.id AND a.question_id='continue'"
                " WHERE c.survey='final' AND c.opens_at > COALESCE(?, '') AND json_extract(a.value, '$')='yes'",
                (year_id, now, started),
            )
        year = await self.year(unique)
        assert year is not None
        return year, closed

    async def years(self) -> list[ArchivedYear]:
        """The archived programme years, oldest first."""
        return await archived_years(self._db)

    async def year(self, label: str) -> ArchivedYear | None:
        return next((y for y in await self.years() if y.label == label), None)

    async def renew(self, participant_id: int, year_id: int, source: str = "button") -> bool:
        """The participant takes part after the archived year (`source`: the thank-you notice's button, or the
        curator); False if that was already recorded."""
        changed = await self._db.execute(
            "INSERT OR IGNORE INTO year_renewals(participant_id, year_id, source, renewed_at)"
            " SELECT ?, id, ?, ? FROM programme_years WHERE id=?",
            (participant_id, source, iso(self._clock.now()), year_id),
        )
        return changed > 0

    async def renewals(self, year_id: int) -> dict[int, str]:
        """Who confirmed taking part after the archived year, and how (participant id → source)."""
        rows = await self._db.fetchall(
            "SELECT participant_id, source FROM year_renewals WHERE year_id=?", (year_id,)
        )
        return {r["participant_id"]: r["source"] for r in rows}

    async def renewed(self, year_id: int) -> int:
        """How many of the year's participants said they take part next year."""
        return int(await self._db.fetchval("SELECT COUNT(*) FROM year_renewals WHERE year_id=?", (year_id,)))

    async def pair_of(self, participant_id: int) -> Pair | None:
        pair_id = await self._db.fetchval(
            "SELECT x.id FROM pairs x LEFT JOIN pair_members m ON m.pair_id=x.id WHERE x.dissolved_at IS NULL"
            " AND (x.mentor_id=? OR m.mentee_id=?) ORDER BY x.id DESC LIMIT 1",
            (participant_id, participant_id),
        )
        return await self.pair(pair_id) if pair_id else None


async def archived_years(db: Database) -> list[ArchivedYear]:
    rows = await db.fetchall("SELECT * FROM programme_years ORDER BY id")
    return [
        ArchivedYear(
            r["id"],
            r["label"],
            parse_iso(r["started_at"]) if r["started_at"] else None,
            parse_iso(r["finished_at"]),
        )
        for r in rows
    ]


async def leave_pairs(tx: Transaction, participant_id: int, at: str, reason: str) -> None:
    """A participant's withdrawal, inside its transaction: their pairs and groups are marked as missing them.

    A mentor's pair keeps going without a mentor (`mentor_left_at`) until the curator matches its mentees
    again; a mentee's membership keeps the row (`left_at`) without the link, the score or the reasons (which
    came from their answers). A pair left without mentees ends (`reason`): its mentor is matched afresh, with
    the stages from the start. Planned meetings of a pair left without a mentor or without mentees are
    cancelled, so that no reminder goes out for them.
    """
    touched = [
        r[0]
        for r in await tx.fetchall(
            "SELECT id FROM pairs WHERE mentor_id=? UNION SELECT pair_id FROM pair_members WHERE mentee_id=?",
            (participant_id, participant_id),
        )
    ]
    await tx.execute("UPDATE pairs SET mentor_id=NULL, mentor_left_at=? WHERE mentor_id=?", (at, participant_id))
    await tx.execute(
        "UPDATE pair_members SET mentee_id=NULL, score=NULL, reasons=NULL, left_at=? WHERE mentee_id=?",
        (at, participant_id),
    )
    if touched:
        marks = ",".join("?" * len(touched))
        empty = "NOT EXISTS (SELECT 1 FROM pair_members m WHERE m.pair_id=x.id AND m.mentee_id IS NOT NULL)"
        await tx.execute(
            "UPDATE meetings SET status='cancelled', updated_at=? WHERE status='planned' AND pair_id IN"
            f" (SELECT x.id FROM pairs x WHERE x.id IN ({marks}) AND (x.mentor_id IS NULL OR {empty}))",
            (at, *touched),
        )
        await tx.execute(
            f"UPDATE pairs AS x SET dissolved_at=?, dissolve_reason=? WHERE x.id IN ({marks})"
            f" AND x.dissolved_at IS NULL AND {empty}",
            (at, reason, *touched),
        )
