"""The GBVIMS categories an SGBV count is classified by: codes for files and the API, labels for people.

The six types of violence are the GBVIMS core classification; the age, sex and perpetrator bands
are the coarse groups its monthly statistics use. Framework-free, so the importer's row parser and
the suppression core share one list with the model. The order of each tuple is the order tables
show them in.

>>> VIOLENCE_TYPES.label("denial_of_resources")
'Denial of resources, opportunities or services'
>>> AGE_BANDS.codes
('0-11', '12-17', '18-59', '60-plus', 'unknown')
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    code: str
    label: str


@dataclass(frozen=True)
class Classification:
    """One dimension of a count: its name (a file column and API parameter) and its bands."""

    name: str
    title: str
    bands: tuple[Band, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(band.code for band in self.bands)

    def label(self, code: str) -> str:
        return next(band.label for band in self.bands if band.code == code)

    def choices(self) -> list[tuple[str, str]]:
        return [(band.code, band.label) for band in self.bands]

    def parse(self, text: str) -> str:
        """The code for ``text`` (a code, in any case); ValueError naming the codes otherwise."""
        cleaned = text.strip().lower()
        if cleaned in self.codes:
            return cleaned
        raise ValueError(f"{text!r} is not a {self.title}; use one of: {', '.join(self.codes)}")


VIOLENCE_TYPES = Classification(
    "violence_type",
    "type of violence",
    (
        Band("rape", "Rape"),
        Band("sexual_assault", "Sexual assault"),
        Band("physical_assault", "Physical assault"),
        Band("forced_marriage", "Forced marriage"),
        Band("denial_of_resources", "Denial of resources, opportunities or services"),
        Band("psychological_abuse", "Psychological / emotional abuse"),
    ),
)
AGE_BANDS = Classification(
    "age_band",
    "age band",
    (
        Band("0-11", "0–11 years"),
        Band("12-17", "12–17 years"),
        Band("18-59", "18–59 years"),
        Band("60-plus", "60 years and over"),
        Band("unknown", "age unknown"),
    ),
)
SEX_BANDS = Classification(
    "sex_band",
    "sex band",
    (Band("female", "female"), Band("male", "male"), Band("unknown", "sex unknown")),
)
PERPETRATOR_TYPES = Classification(
    "perpetrator_type",
    "perpetrator type",
    (
        Band("armed_group", "Armed group or gang member"),
        Band("intimate_partner", "Intimate partner"),
        Band("family_member", "Family member (other than a partner)"),
        Band("other_known", "Other person known to the survivor"),
        Band("state_actor", "State actor (police, army, officials)"),
        Band("other", "Other"),
        Band("unknown", "Unknown or not stated"),
    ),
)

CLASSIFICATIONS = (VIOLENCE_TYPES, AGE_BANDS, SEX_BANDS, PERPETRATOR_TYPES)
BY_NAME = {classification.name: classification for classification in CLASSIFICATIONS}
