"""What each CSV download of the oversight, network and agreement pages holds: one
function per table, returning its file name, header and rows. The views only pick
the table and check access; ``csv_export.csv_response`` writes the file."""

from typing import NamedTuple

from django.utils.translation import gettext as _

from schools.models import Role

from . import selectors
from .attention import Attention
from .models import PartnershipAgreement
from .permissions import OversightScope


class Table(NamedTuple):
    filename: str
    header: list[str]
    rows: list[list[object]]


def _stage_text(row: selectors.TeamRow | None) -> str:
    if row is None:
        return ""
    if row.completed:
        return _("Cycle completed")
    return row.stage.name if row.stage else _("Not started")


def _attention_text(attention: Attention) -> str:
    reasons = []
    if attention.inactive:
        reasons.append(_("no log entries lately"))
    if attention.stuck:
        reasons.append(_("long in one stage"))
    return ", ".join(reasons)


def teams(school_year, rows: list[selectors.TeamRow]) -> Table:
    """The teams table of the oversight page, as filtered there."""
    header = [
        _("School"),
        _("Team"),
        _("Stage"),
        _("Last log entry"),
        _("Logged by"),
        _("Days since activity"),
        _("Days in this stage"),
        _("Checklist ticked"),
        _("Checklist items"),
        _("Student teachers"),
        _("Needs attention"),
    ]
    data: list[list[object]] = [
        [
            r.team.school.name,
            r.team.theme,
            _stage_text(r),
            r.last_entry_on.isoformat() if r.last_entry_on else "",
            r.last_entry_author,
            r.attention.days_since_activity,
            r.attention.days_in_stage,
            r.checks_done,
            r.checks_total,
            ", ".join(u.full_name or u.email for u in r.student_teachers),
            _attention_text(r.attention),
        ]
        for r in rows
    ]
    return Table(f"teams-{school_year.name}.csv", header, data)


def stages(user, school_year, scope: OversightScope, school_ids) -> Table:
    rows = selectors.stage_distribution(school_year, school_ids)
    return Table(
        f"stages-{school_year.name}.csv",
        [_("Stage"), _("Teams")],
        [[c.label, c.count] for c in rows],
    )


def activity(user, school_year, scope: OversightScope, school_ids) -> Table:
    weeks = selectors.weekly_activity(school_year, school_ids)
    return Table(
        f"activity-{school_year.name}.csv",
        [_("Week of"), _("Log entries")],
        [[week.isoformat(), n] for week, n in weeks],
    )


def communities(user, school_year, scope: OversightScope, school_ids) -> Table:
    rows = selectors.team_rows(
        user, school_year, scope=scope, school_ids=school_ids, student_teachers=False
    )
    data: list[list[object]] = []
    for community in selectors.communities(school_year, rows, school_ids):
        facilitator = community.process_facilitator
        for school, team_rows in community.school_states:
            for r in team_rows or [None]:
                data.append(
                    [
                        community.name,
                        facilitator.full_name if facilitator else "",
                        " | ".join(community.learning_question_list),
                        school.name,
                        r.team.theme if r else "",
                        _stage_text(r),
                    ]
                )
    header = [
        _("Learning community"),
        _("Process facilitator"),
        _("Shared learning questions"),
        _("School"),
        _("Team"),
        _("Stage"),
    ]
    return Table(f"learning-communities-{school_year.name}.csv", header, data)


def participation(user, school_year, scope: OversightScope, school_ids) -> Table:
    rows = selectors.participation(school_year, school_ids)
    sessions = selectors.sessions_installed()
    header = (
        [_("School")]
        + [str(Role(r).label) for r in selectors.PARTICIPATION_ROLES]
        + [_("Cycles completed"), _("Studies published")]
        + ([_("Sessions attended")] if sessions else [])
    )
    data: list[list[object]] = [
        [r.school.name]
        + r.member_counts()
        + [r.cycles_completed, r.studies_published]
        + ([r.sessions_attended] if sessions else [])
        for r in rows
    ]
    return Table(f"participation-{school_year.name}.csv", header, data)


#: The tables of the network page, by the name in the download's address.
NETWORK_TABLES = {
    "stages": stages,
    "activity": activity,
    "communities": communities,
    "participation": participation,
}


def agreements(school_year, rows: list) -> Table:
    """The agreements of the year, as ``selectors.agreements_for`` annotates them."""

    def agreed(person, when):
        return f"{person.full_name if person else ''} {when.date().isoformat()}" if when else ""

    return Table(
        f"agreements-{school_year.name}.csv",
        [_("School"), _("Items"), _("Agreed by the school"), _("Agreed by the institution")],
        [
            [
                a.school.name,
                a.item_count,
                agreed(a.school_agreed_by, a.school_agreed_at),
                agreed(a.institution_agreed_by, a.institution_agreed_at),
            ]
            for a in rows
        ],
    )


def agreement(agreement: PartnershipAgreement) -> Table:
    """One agreement's items with what actually happened."""
    data: list[list[object]] = [
        [
            b.item.get_party_display(),
            b.item.get_kind_display(),
            b.item.description,
            b.item.quantity if b.item.quantity is not None else "",
            b.item.unit,
            b.item.get_measure_display() if b.item.measure else "",
            "" if b.actual is None else b.actual,
        ]
        for b in selectors.agreement_balance(agreement)
    ]
    header = [
        _("Partner"),
        _("Kind"),
        _("Description"),
        _("Agreed quantity"),
        _("Unit"),
        _("Compared with"),
        _("Actual"),
    ]
    name = f"agreement-{agreement.school.name}-{agreement.school_year.name}.csv"
    return Table(name.replace(" ", "-"), header, data)
