"""Find an actor by any of its spellings, or create it with its name as its first alias.

Every importer that names actors (events, control areas) goes through here, so "Viv Ansam" in
a news-derived file and "Viv Ansanm" in ACLED are one actor once an analyst records the alias.
"""

from __future__ import annotations

from ulinzi.incidents.actors import actor_key
from ulinzi.incidents.models import Actor, ActorAlias, ActorKind


class ActorStore:
    """A per-import cache over actors and their aliases."""

    def __init__(self) -> None:
        self._by_name: dict[str, Actor] = {}
        self._by_key: dict[str, Actor] = {}

    def get(self, name: str, kind: str = ActorKind.OTHER) -> Actor:
        found = self._by_name.get(name)
        if found is not None:
            return found
        key = actor_key(name)
        found = self._by_key.get(key)
        if found is None:
            found = self._find(name, key) or self._create(name, kind)
            self._by_key[key] = found
        self._by_name[name] = found
        return found

    @staticmethod
    def _find(name: str, key: str) -> Actor | None:
        alias = ActorAlias.objects.select_related("actor").filter(key=key).first()
        if alias is not None:
            return alias.actor
        return Actor.objects.filter(name=name).first()

    @staticmethod
    def _create(name: str, kind: str) -> Actor:
        actor = Actor.objects.create(name=name, kind=kind)
        ActorAlias.objects.create(actor=actor, name=name)
        return actor
