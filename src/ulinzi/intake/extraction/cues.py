"""The words that make a sentence a record, and the words that unmake it.

Triggers are verbs and nouns that report something that happened ("arrived", "clashed",
"kidnapped"); metric cues tie a figure to what it counts ("killed", "displaced", "per cent of");
modality cues ("denied", "could", "if", "plans to") mark what did not or may not happen, which
must never become an event (issue #5: about one event in five from automated coders is wrong,
much of it from such sentences). Each list is a regular expression over the sentence's text, so
a cue keeps its character span for the evidence. Framework-free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ulinzi.intake.extraction.records import Movement


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    text: str


MOVEMENTS: tuple[tuple[Movement, re.Pattern[str]], ...] = (
    (
        "patrol_start",
        _words(
            r"(?:began|begun|begin|begins|started|starts|start|launched|launch|commenced|began joint|started joint)"
            r" (?:joint )?(?:patrolling|patrols|patrol)",
            r"patrols? (?:began|started|commenced)",
            r"first patrols?",
        ),
    ),
    (
        "arrival",
        _words(
            r"arrived",
            r"arrives",
            r"arriving",
            r"arrival",
            r"landed",
            r"touched down",
            r"(?:were|was|been|are|being) deployed",
            r"deployed to",
            r"sent by",
            r"sent to",
            r"sent",
            r"dispatched",
            r"flew in",
            r"joined the (?:mission|MSS|force)",
            r"arrivée?s?",
            r"sont arrivés",
            r"déployés",
        ),
    ),
    (
        "departure",
        _words(
            r"departed",
            r"left Haiti",
            r"withdrew",
            r"withdrawn",
            r"withdrawal",
            r"returned home",
            r"pulled out",
            r"repatriated",
            r"flew home",
        ),
    ),
    ("pledge", _words(r"pledged", r"pledge", r"pledges", r"committed", r"promised", r"offered", r"a promis")),
)

PERSONNEL = _words(
    r"(?:police )?officers",
    r"police(?:men|women)?",
    r"(?:police |military )?personnel",
    r"soldiers",
    r"troops",
    r"forces",
    r"members",
    r"military",
    r"gendarmes",
    r"marines",
    r"staff",
    r"medics",
    r"doctors",
    r"nurses",
    r"engineers",
    r"contingent",
    r"policiers",
    r"soldats",
    r"militaires",
    r"agents",
)
CONTINGENT_OF = re.compile(r"contingent of\s*$|force of\s*$|team of\s*$", re.IGNORECASE)

# Event triggers: (pattern, ACLED event type, sub-event type), most specific first.
EVENT_TRIGGERS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (_words(r"assassinat(?:ed|ion)", r"assassinat"), "Violence against civilians", "Attack"),
    (
        _words(r"kidnapp(?:ed|ing)", r"abduct(?:ed|ion)", r"enlev(?:é|és|ée|ées)", r"kidnapp(?:és|é|ée|ées)"),
        "Violence against civilians",
        "Abduction/forced disappearance",
    ),
    (_words(r"raped", r"sexually assaulted", r"violées?"), "Violence against civilians", "Sexual violence"),
    (
        _words(
            r"lynched", r"mob", r"lynchés?", r"(?:beat(?:en)? and )?burned to death", r"beaten to death", r"lynching"
        ),
        "Riots",
        "Mob violence",
    ),
    (_words(r"riot(?:s|ed|ers)?", r"émeutes?"), "Riots", "Violent demonstration"),
    (
        _words(
            r"regained control",
            r"retook",
            r"recaptured",
            r"took back",
            r"repris (?:\w+ )?le contrôle",
            r"reprise? du contrôle",
        ),
        "Battles",
        "Government regains territory",
    ),
    (
        _words(
            r"clash(?:ed|es)?",
            r"gun ?fights?",
            r"gun battles?",
            r"fire ?fights?",
            r"shoot-?outs?",
            r"exchanged (?:gun)?fire",
            r"exchange of (?:gun)?fire",
            r"affrontements?",
            r"échanges? de tirs",
            r"fought",
            r"repelled",
            r"repulsed",
        ),
        "Battles",
        "Armed clash",
    ),
    (_words(r"grenades?"), "Explosions/Remote violence", "Grenade"),
    (_words(r"drone strikes?", r"drone attacks?"), "Explosions/Remote violence", "Air/drone strike"),
    (
        _words(
            r"attack(?:ed|s)?",
            r"ambush(?:ed)?",
            r"massacre(?:d|s)?",
            r"stormed",
            r"raid(?:ed|s)?",
            r"opened fire",
            r"shot dead",
            r"gunned down",
            r"killed",
            r"murdered",
            r"executed",
            r"attaqu(?:é|ée|és|ées|e|ent)",
            r"attaque",
            r"tu(?:é|ée|és|ées)",
        ),
        "Violence against civilians",
        "Attack",
    ),
    (_words(r"arrested", r"detained", r"arrêtés?", r"apprehended"), "Strategic developments", "Arrests"),
    (
        _words(r"looted", r"torched", r"set (?:fire|ablaze)", r"burned down", r"burnt down", r"incendi(?:é|ée|ées|és)"),
        "Strategic developments",
        "Looting/property destruction",
    ),
    (
        _words(
            r"protest(?:ed|s|ers)?",
            r"demonstrat(?:ed|ion|ions|ors)",
            r"marched",
            r"manifest(?:é|ée|és|ées|ent|ation|ations|ants)",
        ),
        "Protests",
        "Peaceful protest",
    ),
)
# Words after which an attack was on the state's forces, so ACLED codes it a battle.
FORCES_TARGETS = _words(r"police", r"officers", r"PNH", r"HNP", r"soldiers", r"troops", r"MSS", r"patrol", r"station")

METRICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "sexual_violence_victims",
        _words(r"sexual violence", r"raped", r"rape", r"sexually assaulted", r"violences? sexuelles?"),
    ),
    (
        "killed",
        _words(
            r"killed",
            r"killing",
            r"to death",
            r"dead",
            r"deaths",
            r"died",
            r"lives",
            r"murdered",
            r"homicides",
            r"fatalities",
            r"killings",
            r"slain",
            r"tu(?:é|ée|és|ées)",
            r"morts?",
        ),
    ),
    ("injured", _words(r"injured", r"wounded", r"wounding", r"hurt", r"blessés?", r"injuries")),
    (
        "kidnapped",
        _words(r"kidnapped", r"abducted", r"kidnappings", r"abductions", r"held hostage", r"enlev(?:é|és|ée|ées)"),
    ),
    (
        "displaced",
        _words(
            r"displaced",
            r"fled their homes",
            r"fled",
            r"forced from their homes",
            r"displacement",
            r"déplacés?",
            r"ont fui",
        ),
    ),
    (
        "food_insecure",
        _words(
            r"food insecurity",
            r"food insecure",
            r"acute hunger",
            r"food aid",
            r"food assistance",
            r"insécurité alimentaire",
        ),
    ),
    ("territory_controlled_pct", _words(r"control(?:s|led)?", r"hold(?:s)?", r"contrôlent", r"contrôle")),
    (
        "funding_usd",
        _words(
            r"assistance",
            r"aid",
            r"funding",
            r"funds?",
            r"contribution",
            r"contributed",
            r"financial support",
            r"received",
            r"pledges",
            r"added",
            r"provided",
            r"donated",
            r"announced",
        ),
    ),
)

NEGATIONS = _words(
    r"no",
    r"not",
    r"never",
    r"n't",
    r"no one",
    r"nobody",
    r"none",
    r"denied",
    r"denies",
    r"deny",
    r"without",
    r"ne",
    r"pas",
    r"aucun",
    r"aucune",
    r"personne",
)
NEGATION_AFTER = _words(r"unfounded", r"untrue", r"false", r"denied", r"did not happen", r"not confirmed", r"démenti")
HYPOTHETICALS = _words(
    r"if",
    r"could",
    r"would",
    r"might",
    r"may",
    r"should",
    r"will",
    r"shall",
    r"plans? to",
    r"planned to",
    r"planning to",
    r"expected to",
    r"due to (?:arrive|deploy|be)",
    r"intends? to",
    r"threaten(?:ed|s)? to",
    r"ready to",
    r"prepared to",
    r"set to",
    r"to be (?:deployed|sent|dispatched)",
    r"considering",
    r"feared",
    r"fears",
    r"risk of",
    r"rumou?rs?",
    r"unconfirmed",
    r"claimed that",
    r"social media",
    r"allegations?",
    r"allegedly planned",
    r"si",
    r"pourrait",
    r"pourraient",
    r"devrait",
    r"devraient",
)
# A figure in these sentences covers a period or place as a whole, never one incident.
AGGREGATES = _words(
    r"so far",
    r"this year",
    r"last year",
    r"in total",
    r"a total of",
    r"overall",
    r"cumulative",
    r"to date",
    r"per cent of",
    r"percent of",
)
CONTINUATIONS = re.compile(
    r"\W*(?:additionally|in addition|also|moreover|furthermore|over the same period|in the same period|de plus)\b",
    re.IGNORECASE,
)
SAME_PERIOD = _words(r"(?:in|over|during) the same period", r"au cours de la même période")
# A relative clause between a figure and a date or place: "in June ... gangs that control 80 per cent"
# dates the patrols, not the control.
RELATIVE = _words(r"that", r"which", r"who", r"whom", r"where", r"qui", r"que")
PURPOSE = re.compile(r"\bto\s+(?:help\s+|be\s+)?$", re.IGNORECASE)
SPEECH = _words(
    r"said",
    r"says",
    r"told",
    r"stated",
    r"according to",
    r"reported",
    r"announced",
    r"estimated",
    r"estimates",
    r"a déclaré",
    r"selon",
)
UNIT_WORDS = re.compile(
    r"\s*((?:women and girls|women and children|people|persons|civilians|residents|children|women|men|"
    r"police officers|officers|soldiers|troops|personnel|families|households|victims|Haitians|migrants|"
    r"personnes|civils|habitants|enfants|femmes et filles|femmes))\b",
    re.IGNORECASE,
)


INTERVENTION = _words(
    r"tear gas", r"teargas", r"dispersed", r"break up", r"broke up", r"gaz lacrymogènes?", r"dispersé"
)
PAST = re.compile(r"\b(?:was|were|had|has been|have been)\b|\b\w{3,}ed\b|\bont été\b|\ba été\b", re.IGNORECASE)
FUNDING_NOT_GIVEN = re.compile(
    r"(?:needs?|needed|requires?|required|appeal(?:ed)? for|short of|shortfall|ransom|demanded)\b", re.IGNORECASE
)
# "up from 60%", "compared with 3,000 last year": the same measure at another time.
COMPARISON = re.compile(
    r"\b(?:up|down) from\s*$|\bcompared (?:with|to)\s*$|\bthe share (?:is|was|stood at|reached)\s*$",
    re.IGNORECASE,
)
# "including three police officers", "among them ten children": part of a figure already counted
SUBSET = re.compile(r"\b(?:including|among them|of whom|dont|parmi lesquels)\b[^,;.]*$", re.IGNORECASE)
ZERO_DEATHS = _words(
    r"no one (?:was|were) killed",
    r"nobody (?:was|were) killed",
    r"no (?:one|deaths|casualties|fatalities)",
    r"no one died",
    r"aucun mort",
    r"aucune victime",
)
# "police" alone is Haiti's own force; "Kenyan police" is a contingent.
FOREIGN_POLICE = re.compile(r"(?:\b[A-Z][a-z]+(?:an|ian|ese|i)|MSS|mission)\s+(?:[a-z]+\s+)?$")
# Periods running to the publication date that the date layer leaves to us.
YEAR_TO_DATE = _words(
    r"since the (?:start|beginning) of (?:the|this) year",
    r"so far this year",
    r"depuis le début de l'année",
    r"depuis janvier",
)
FIRST_MONTHS = re.compile(
    r"\b(?:in\s+)?the first (one|two|three|four|five|six|seven|eight|nine|ten|eleven|\d{1,2}|quarter|half)"
    r"(?: months)? of (?:the|this) year\b",
    re.IGNORECASE,
)
# "the mission has grown to about 800 personnel": a strength, when personnel follow the figure
GROWN_TO = re.compile(
    r"\b(grown|risen|increased|reached|stands at|now numbers)\b[^.;\d]{0,20}?(?:\bto\s*)?$", re.IGNORECASE
)
SINCE_BEFORE = re.compile(r"\bsince\b[^,.;]{0,50}$", re.IGNORECASE)
# "bringing the Kenyan contingent to 400", "the mission currently numbers just under 1,000"
RUNNING_TOTAL = re.compile(
    r"\b(bringing|brings|brought|numbers|numbered|strength of|total of|totals?)\b[^.;\d]{0,120}?(?:\bto\s*)?$",
    re.IGNORECASE,
)
CASUALTY_ONLY = re.compile(r"killed|killing|murdered|shot dead|tu(?:é|ée|és|ées)|dead|died", re.IGNORECASE)
SAYS_AFTER = re.compile(r"\s*(?:said|says|say|told|reported|stated|announced|a indiqué|a déclaré)\b")
ACCORDING_BEFORE = re.compile(r"(?:according to|selon)\s+(?:the\s+|la\s+|le\s+)?$", re.IGNORECASE)
# Words that end one reported incident and may start another in the same sentence.
EVENT_SPLIT = re.compile(r";|,?\s+and\s+|,\s+while\s+|\s+after\s+|\s+après\s+", re.IGNORECASE)
# Between a figure and a date: a time clause of its own ("weeks after X said")
CLAIM_SCOPE_BREAK = _words(r"after", r"before", r"when", r"while", r"après", r"avant")
PLEDGE_WORDS = _words(r"commitment", r"committed", r"pledges?", r"pledged", r"promised")
VAGUE = _words(r"hundreds", r"thousands", r"dozens", r"scores", r"millions", r"centaines", r"milliers", r"dizaines")
# "bringing the Kenyan contingent of the mission to 400": what the running total counts
TOTAL_OF = re.compile(
    r"\s+(?:the\s+|its\s+|their\s+|[A-Z][\w]*'s\s+)?((?:[\w-]+\s+){0,2}?[\w-]+)(?=\s+(?:in|of|to|at)\b)"
)
SAME_DAY = _words(r"the same day", r"that day", r"the same night", r"le même jour")
DURATION = re.compile(
    r"\s*(?:more\s+)?(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|ans?|mois|semaines?|jours?|heures?)\b",
    re.IGNORECASE,
)


def find(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[Cue]:
    return [Cue(match.start(), match.end(), match.group()) for match in pattern.finditer(text, start, end)]


def clause_start(text: str, sentence_start: int, position: int) -> int:
    """Where the clause holding ``position`` begins: after a semicolon, a dash or "but"."""
    window = text[sentence_start:position]
    cut = max(window.rfind(";"), window.rfind(" but "), window.rfind(" – "), window.rfind(" — "))
    return sentence_start + cut + 1 if cut >= 0 else sentence_start


CLAUSE_BREAK = re.compile(r";|,\s+and\s|,\s+while\s|\swhile\s|\sbut\s|\s[–—]\s|,\s+to be\s")


def clause_bounds(text: str, sentence_start: int, sentence_end: int, position: int) -> tuple[int, int]:
    """The clause holding ``position``: "X arrived on Saturday, while 20 others left" is two."""
    start, end = sentence_start, sentence_end
    for match in CLAUSE_BREAK.finditer(text, sentence_start, sentence_end):
        if match.end() <= position:
            start = match.end()
        elif match.start() >= position:
            end = match.start()
            break
    return start, end


DENIALS = _words(r"denied", r"denies", r"deny", r"dismissed reports", r"refuted", r"démenti", r"a démenti", r"nié")


def is_denied_or_hypothetical(
    text: str, sentence_start: int, sentence_end: int, trigger: Cue, *, figure: bool = False
) -> bool:
    """The clause before the trigger negates it or makes it conditional, the sentence denies it
    before it, or what follows calls it untrue."""
    begin = max(clause_start(text, sentence_start, trigger.start), trigger.start - 80)
    before = text[begin : trigger.start]
    if DENIALS.search(text, sentence_start, trigger.start):
        return True
    if NEGATIONS.search(before) or HYPOTHETICALS.search(before):
        return True
    if not figure and PURPOSE.search(before):
        return True
    return bool(NEGATION_AFTER.search(text, trigger.end, sentence_end))
