"""The need-to-know policy: the one place that decides who may read or change which record.

Every view, API operation, export, report and the admin asks this module, never a role list of
its own, so the screen and the API cannot drift apart (a "private" deployment whose UI was locked
while its API stayed open is the failure this guards against). Framework-free: the Django side
(``accounts.access``) turns these answers into query filters, and the access-table test asks the
same functions what every path should do and checks that it does.

A decision depends on four things only: the caller (role, organisation, whether that organisation
works mission-wide), the record type, the record's sensitivity label and the organisation that
owns the record. The rules, in order:

1. An account without a role may do nothing.
2. Some record types belong to one function whatever their label: the audit log and API tokens
   to administrators; stored sexual-violence counts to nobody (only suppressed tables leave).
3. A caller reads a record only when its label is at or below the role's clearance.
4. Need-to-know: a strictly confidential or critical record owned by a contingent or partner
   organisation is read only by that organisation's members, by administrators and by members
   of an organisation that works mission-wide (the mission's headquarters). A record with no
   owner belongs to the whole mission.
5. Masked release: a reader cleared one level below an event's confidential label (a partner,
   for a P2 event) sees the event with its point displaced within its area and its finer place
   details withheld (``incidents.release``): P2 is the label of precise locations, and a
   masked map is what P1 is for.
6. Changing a record takes a role that edits that record type, read access to the record, and a
   clearance at or above the label the record will carry.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass

from ulinzi.accounts.roles import CLEARANCE, Role
from ulinzi.accounts.sensitivity import Sensitivity

# From this label up, a record owned by an organisation is read by that organisation only
# (plus administrators and mission headquarters).
NEED_TO_KNOW_FROM = Sensitivity.STRICTLY_CONFIDENTIAL


class RecordType(enum.StrEnum):
    """Every kind of record an output can carry, named as users speak of them."""

    EVENT = "event"
    EVENT_REPORT = "event report"
    CONTROL_AREA = "control area"
    ROAD_STATUS = "road status"
    CONTINGENT = "contingent"
    MOVEMENT_REPORT = "movement report"
    PLEDGE = "pledge"
    AUTHORISATION = "authorisation"
    ACTOR = "actor"
    ADMIN_AREA = "administrative area"
    SOURCE = "source"
    IMPORT_BATCH = "import batch"
    SGBV_CELL = "sexual-violence count"
    SGBV_TABLE = "sexual-violence table"
    ACCOUNT = "account"
    AUDIT_ENTRY = "audit entry"
    API_TOKEN = "API token"  # noqa: S105  a record type's name, not a secret
    DOCUMENT = "document"
    CANDIDATE = "candidate"
    CLAIM = "claim"
    PATROL = "patrol"
    TRACK_POINT = "track point"
    PATROL_EFFORT = "patrol effort"


class Release(enum.Enum):
    FULL = "full"
    MASKED = "masked"
    NONE = "none"


# Record types released masked, and the one label at which they are: the label whose reason is
# the precise location, shown to readers cleared just below it.
MASKED_RELEASE: dict[RecordType, Sensitivity] = {RecordType.EVENT: Sensitivity.CONFIDENTIAL}


class Action(enum.StrEnum):
    READ = "read"
    CHANGE = "change"


# Record types whose label is fixed by their type, not stored per record.
FIXED_LABEL: dict[RecordType, Sensitivity] = {
    RecordType.ACTOR: Sensitivity.PUBLIC,
    RecordType.ADMIN_AREA: Sensitivity.PUBLIC,
    RecordType.SOURCE: Sensitivity.PUBLIC,
    RecordType.IMPORT_BATCH: Sensitivity.INTERNAL,
    RecordType.SGBV_CELL: Sensitivity.STRICTLY_CONFIDENTIAL,
    RecordType.SGBV_TABLE: Sensitivity.INTERNAL,  # suppressed (protection.suppression): no small cell left
    RecordType.ACCOUNT: Sensitivity.CONFIDENTIAL,  # who works for the mission (docs/security.md)
    RecordType.AUDIT_ENTRY: Sensitivity.STRICTLY_CONFIDENTIAL,
    RecordType.API_TOKEN: Sensitivity.CRITICAL,
    # Hours and kilometres per commune and week, released only after ULINZI_PATROL_RELEASE_DELAY_HOURS
    # (patrols.release): where the mission has been, never where it is or how it moves.
    RecordType.PATROL_EFFORT: Sensitivity.INTERNAL,
}

# Who may change each record type through Ulinzi's own paths (imports are operator commands).
EDITORS: dict[RecordType, frozenset[Role]] = {
    RecordType.EVENT: frozenset({Role.ADMIN, Role.ANALYST, Role.MONITOR}),
    RecordType.EVENT_REPORT: frozenset({Role.ADMIN, Role.ANALYST, Role.MONITOR}),
    RecordType.CONTROL_AREA: frozenset({Role.ADMIN, Role.ANALYST, Role.MONITOR}),
    RecordType.ROAD_STATUS: frozenset({Role.ADMIN, Role.ANALYST, Role.MONITOR}),
    RecordType.CLAIM: frozenset({Role.ADMIN, Role.ANALYST, Role.MONITOR}),
    RecordType.API_TOKEN: frozenset({Role.ADMIN}),
    # Commanders plan patrols; analysts link events to them. Tracks change only through imports.
    RecordType.PATROL: frozenset({Role.ADMIN, Role.COMMANDER, Role.ANALYST}),
    # Reviewing extracted candidates is analysis; documents themselves change only through intake.
    RecordType.CANDIDATE: frozenset({Role.ADMIN, Role.ANALYST, Role.MONITOR}),
    # Force records otherwise change through imports; accepting a reviewed deployment from a
    # document is the one path besides, and it is mission analysis (forces), not monitoring.
    RecordType.MOVEMENT_REPORT: frozenset({Role.ADMIN, Role.ANALYST}),
    RecordType.PLEDGE: frozenset({Role.ADMIN, Role.ANALYST}),
}

# Record types only one function reads, whatever the label says.
READERS: dict[RecordType, frozenset[Role]] = {
    RecordType.AUDIT_ENTRY: frozenset({Role.ADMIN}),
    RecordType.API_TOKEN: frozenset({Role.ADMIN}),
    # Stored cells never leave: every output is a suppressed table (GBVIMS information sharing).
    RecordType.SGBV_CELL: frozenset(),
    # The intake queue is the mission's working material, unreviewed: no partner reads it, even a
    # public article's copy (partners read the article where it was published).
    RecordType.DOCUMENT: frozenset({Role.ADMIN, Role.COMMANDER, Role.ANALYST, Role.MONITOR}),
    RecordType.CANDIDATE: frozenset({Role.ADMIN, Role.COMMANDER, Role.ANALYST, Role.MONITOR}),
    # Patrol plans and positions are the mission's own operational data: its command and analysis
    # roles read them, whatever label a record carries, so a mislabelled track still reaches no
    # partner or monitor; they see effort only (PATROL_EFFORT).
    RecordType.PATROL: frozenset({Role.ADMIN, Role.COMMANDER, Role.ANALYST}),
    RecordType.TRACK_POINT: frozenset({Role.ADMIN, Role.COMMANDER, Role.ANALYST}),
}


@dataclass(frozen=True)
class Viewer:
    """Who is asking: their role, their organisation, and whether it works mission-wide.

    ``ceiling`` lowers the role's clearance for one task, as ``ulinzi export --clearance P1`` does
    when an operator prepares a file for a wider audience.
    """

    role: Role | None
    organisation: str | None = None
    mission_wide: bool = False
    ceiling: Sensitivity | None = None

    @classmethod
    def operator(cls, ceiling: Sensitivity = Sensitivity.CRITICAL) -> Viewer:
        """The person at the server's command line: an administrator, capped at ``ceiling``."""
        return cls(role=Role.ADMIN, mission_wide=True, ceiling=ceiling)

    @property
    def clearance(self) -> Sensitivity | None:
        if self.role is None:
            return None
        granted = CLEARANCE[self.role]
        return granted if self.ceiling is None else min(granted, self.ceiling)

    @property
    def sees_every_owner(self) -> bool:
        """Whether need-to-know by organisation never narrows what this caller reads."""
        return self.role is Role.ADMIN or self.mission_wide


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True, "allowed")


def label_of(record_type: RecordType, stored: Sensitivity | None) -> Sensitivity:
    """The label a record carries: its type's fixed one, or the one stored on it."""
    if record_type in FIXED_LABEL:
        return FIXED_LABEL[record_type]
    if stored is None:
        raise ValueError(f"a {record_type} carries its own label; none was given")
    return stored


def may_read(viewer: Viewer, record_type: RecordType, label: Sensitivity, owner: str | None = None) -> Decision:
    clearance = viewer.clearance
    if viewer.role is None or clearance is None:
        return Decision(False, "the account has no role")
    label = label_of(record_type, label)
    readers = READERS.get(record_type)
    if readers is not None and viewer.role not in readers:
        return Decision(False, f"{record_type} records are for {_names(readers)} only")
    if label > clearance:
        return Decision(False, f"the record is {label.code}, above the {viewer.role} clearance {clearance.code}")
    outsider = owner is not None and owner != viewer.organisation and not viewer.sees_every_owner
    if label >= NEED_TO_KNOW_FROM and outsider:
        return Decision(False, f"the {label.code} record belongs to {owner}: need to know")
    return ALLOWED


# Break-glass: a reader whose role and clearance allow a record, refused only because another
# organisation owns it, may still open it by giving a reason, which the audit log keeps.
BREAK_GLASS_MIN_REASON = 10


def may_break_glass(viewer: Viewer, record_type: RecordType, label: Sensitivity, owner: str | None) -> Decision:
    """Whether the viewer may open the record anyway, with a reason: only past need-to-know, never
    past their clearance or a record type's own readers."""
    if may_read(viewer, record_type, label, owner):
        return Decision(False, "readable without breaking the glass")
    if not may_read(Viewer(role=viewer.role, mission_wide=True, ceiling=viewer.ceiling), record_type, label, owner):
        return Decision(False, "beyond the role's clearance, not only beyond need to know")
    return ALLOWED


def release_of(viewer: Viewer, record_type: RecordType, label: Sensitivity, owner: str | None = None) -> Release:
    """Whether the viewer sees the record in full, masked, or not at all."""
    if may_read(viewer, record_type, label, owner):
        return Release.FULL
    clearance = viewer.clearance
    masked_at = MASKED_RELEASE.get(record_type)
    if clearance is None or masked_at is None or label != masked_at or clearance + 1 < masked_at:
        return Release.NONE
    return Release.MASKED


def masked_labels(viewer: Viewer, record_type: RecordType) -> list[Sensitivity]:
    """The labels (whoever the owner) at which the viewer sees records of the type masked."""
    return [
        label
        for label in Sensitivity
        if all(release_of(viewer, record_type, label, owner) is Release.MASKED for owner in (None, _SOMEONE_ELSE))
    ]


def may_change(
    viewer: Viewer,
    record_type: RecordType,
    label: Sensitivity,
    owner: str | None = None,
    new_label: Sensitivity | None = None,
) -> Decision:
    """Whether the caller may change the record (and give it ``new_label``, when that changes)."""
    readable = may_read(viewer, record_type, label, owner)
    if not readable:
        return readable
    assert viewer.role is not None
    editors = EDITORS.get(record_type, frozenset())
    if viewer.role not in editors:
        return Decision(False, f"{record_type} records are changed by {_names(editors) or 'imports only'}")
    clearance = viewer.clearance
    assert clearance is not None
    if new_label is not None and new_label > clearance:
        return Decision(False, f"{new_label.code} is above your clearance {clearance.code}")
    return ALLOWED


def may_administer(viewer: Viewer) -> Decision:
    """The Django admin shows records whatever their label, so it is the administrators' tool
    alone: staff status given to anyone else opens nothing."""
    if viewer.role is not Role.ADMIN:
        return Decision(False, "the administration pages are for administrators")
    return ALLOWED


def may(viewer: Viewer, action: Action, record_type: RecordType, label: Sensitivity, owner: str | None = None) -> bool:
    if action is Action.READ:
        return bool(may_read(viewer, record_type, label, owner))
    return bool(may_change(viewer, record_type, label, owner))


def readable_labels(viewer: Viewer, record_type: RecordType) -> Iterator[tuple[Sensitivity, OwnerScope]]:
    """Each label the viewer may read for the type, with whose records of that label: the shape
    a query filter takes, enumerated from ``may_read`` itself so it cannot disagree with it."""
    for label in Sensitivity:
        anyone = may_read(viewer, record_type, label, owner=_SOMEONE_ELSE)
        own = may_read(viewer, record_type, label, owner=viewer.organisation) if viewer.organisation else anyone
        unowned = may_read(viewer, record_type, label, owner=None)
        if anyone:
            yield label, OwnerScope.ANY
        elif own and unowned:
            yield label, OwnerScope.OWN_OR_MISSION if viewer.organisation else OwnerScope.MISSION
        elif unowned:
            yield label, OwnerScope.MISSION


class OwnerScope(enum.Enum):
    ANY = "any owner"
    OWN_OR_MISSION = "own organisation or mission-wide"
    MISSION = "mission-wide records only"


# An owner no real organisation code can equal, to ask "a record of some other organisation".
_SOMEONE_ELSE = "\x00another organisation"


def _names(roles: frozenset[Role]) -> str:
    return ", ".join(sorted(role.value for role in roles))
