"""What ``ulinzi claims add|list`` do once Django is set up (the arguments are in ``claims.cli``)."""

from __future__ import annotations

import argparse

from ulinzi.accounts.policy import Viewer
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit import services as audit
from ulinzi.claims import ledger, services
from ulinzi.cli import console


def add(args: argparse.Namespace) -> int:
    try:
        end = ledger.When.parse(args.to, "to")
        start = ledger.When.parse(args.start, "from") if args.start else end
        new = services.NewClaim(
            metric=args.metric,
            value=args.value,
            qualifier=args.qualifier,
            unit=args.unit,
            source=args.source,
            start=start,
            end=end,
            area=args.area,
            area_name=args.area_name,
            actor=args.actor,
            speaker=args.speaker,
            quote=args.quote,
            sensitivity=args.sensitivity,
            owner=args.owner,
        )
        claim = services.create_claim(Viewer.operator(), new, by=audit.operator())
    except (ledger.InvalidFigure, services.ClaimRefused) as refused:
        console.print(f"{refused.field}: {refused.reason}; nothing was recorded", style="red", markup=False)
        return 1
    console.print(f"recorded claim {claim.pk} ({Sensitivity(claim.sensitivity).code}): {claim}", markup=False)
    return 0


def list_ledger(args: argparse.Namespace) -> int:
    groups = services.ledger_of(Viewer.operator(), args.metric, args.area)
    audit.record_list_read(audit.operator(), services.shown_claims(groups), "ulinzi claims list")
    if not groups:
        console.print("no claims match", markup=False)
    for found in groups:
        group = found.group
        where = group.area_name or "no area given"
        conflicts = len(group.conflicts)
        console.rule(f"{group.metric} · {where} · {group.first} to {group.last}", characters="-")
        for entry in found.entries:
            claim = entry.claim
            console.print(f"#{claim.pk} {claim} ({claim.source.reference})", markup=False)
            console.print(f"    {entry.check.sentence}", markup=False)
        for pair in group.pairs:
            console.print(f"  #{pair.first.id} and #{pair.second.id}: {pair.relation}: {pair.reason}", markup=False)
        if conflicts:
            console.print(f"  {conflicts} conflict{'s' if conflicts > 1 else ''}", style="red", markup=False)
    return 0
