"""ACLED's event taxonomy: the six event types, their sub-event types, disorder types and actor
categories (interaction codes), as the ACLED codebook defines them. Framework-free."""

from __future__ import annotations

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

DISORDER_TYPES = (
    "Political violence",
    "Demonstrations",
    "Strategic developments",
    "Political violence; Demonstrations",
)

# ACLED's actor categories; older exports give the number, newer ones the name.
ACTOR_CATEGORIES: dict[str, str] = {
    "1": "State forces",
    "2": "Rebel groups",
    "3": "Political militias",
    "4": "Identity militias",
    "5": "Rioters",
    "6": "Protesters",
    "7": "Civilians",
    "8": "External/Other forces",
}

_EVENT_TYPE_BY_KEY = {event_type.casefold(): event_type for event_type in EVENT_TYPES}
_SUB_EVENT_BY_KEY = {(event_type, sub.casefold()): sub for event_type, subs in EVENT_TYPES.items() for sub in subs}
_CATEGORY_BY_KEY = {name.casefold(): name for name in ACTOR_CATEGORIES.values()}


def event_type(text: str) -> str:
    """The canonical event type; ValueError naming the allowed ones otherwise.

    >>> event_type("violence against civilians")
    'Violence against civilians'
    """
    found = _EVENT_TYPE_BY_KEY.get(text.strip().casefold())
    if found is None:
        raise ValueError(f"{text!r} is not an ACLED event type ({', '.join(EVENT_TYPES)})")
    return found


def sub_event_type(kind: str, text: str) -> str:
    found = _SUB_EVENT_BY_KEY.get((kind, text.strip().casefold()))
    if found is None:
        raise ValueError(f"{text!r} is not a sub-event type of {kind!r} ({', '.join(EVENT_TYPES[kind])})")
    return found


def actor_category(text: str) -> str:
    """An actor category from its ACLED number or name ("" when the actor is absent).

    >>> actor_category("7"), actor_category("state forces"), actor_category("")
    ('Civilians', 'State forces', '')
    """
    cleaned = text.strip()
    if not cleaned:
        return ""
    found = ACTOR_CATEGORIES.get(cleaned) or _CATEGORY_BY_KEY.get(cleaned.casefold())
    if found is None:
        raise ValueError(f"{text!r} is not an ACLED actor category (1-8 or its name)")
    return found
