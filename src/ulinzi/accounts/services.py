"""Account operations shared by the CLI, the API and the web views."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, Group, User
from django.db import transaction
from django.utils import timezone

from ulinzi.accounts.models import ApiToken, Membership, Organisation, OrganisationKind, TokenScope
from ulinzi.accounts.roles import CLEARANCE, Role, highest_role
from ulinzi.accounts.sensitivity import Sensitivity

TOKEN_PREFIX = "ulz_"  # noqa: S105  a marker that makes leaked tokens greppable, not a secret


def role_of(user: User | AnonymousUser) -> Role | None:
    """The user's widest role; superusers are admins; inactive and anonymous users have none."""
    if not user.is_authenticated or not user.is_active:
        return None
    if isinstance(user, AnonymousUser):
        return None
    if user.is_superuser:
        return Role.ADMIN
    names = set(user.groups.values_list("name", flat=True))
    return highest_role({Role(name) for name in names if name in Role.__members__.values()})


def clearance_of(user: User | AnonymousUser) -> Sensitivity | None:
    role = role_of(user)
    return None if role is None else CLEARANCE[role]


def ensure_role_groups() -> None:
    for role in Role:
        Group.objects.get_or_create(name=role.value)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, name: str, *, write: bool = False) -> str:
    """Create a token (read-only unless ``write``) and return it; the only time its clear text exists."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    scope = TokenScope.WRITE if write else TokenScope.READ
    ApiToken.objects.create(user=user, name=name, prefix=token[:10], digest=digest(token), scope=scope)
    return token


def token_for(token: str) -> ApiToken | None:
    """The live token (not revoked, its account active) with that clear text, noting its use."""
    found = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if found is not None:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found


def user_for_token(token: str) -> User | None:
    found = token_for(token)
    return None if found is None else found.user


@dataclass(frozen=True)
class NewAccount:
    username: str
    password: str
    token: str


class UnknownOrganisation(LookupError):
    def __init__(self, code: str) -> None:
        known = ", ".join(Organisation.objects.values_list("code", flat=True)) or "none yet"
        super().__init__(
            f"no organisation has the code {code!r} (known: {known}); add it with `ulinzi organisation add`"
        )


def add_organisation(code: str, name: str, kind: OrganisationKind) -> Organisation:
    organisation = Organisation(code=code, name=name, kind=kind)
    organisation.full_clean()  # a code that is not a slug is refused here, not stored
    organisation.save()
    return organisation


def set_organisation(user: User, code: str | None) -> None:
    """Move an account to an organisation (None: to none); it reads accordingly at its next request."""
    if code is None:
        Membership.objects.filter(user=user).delete()
        return
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        raise UnknownOrganisation(code)
    Membership.objects.update_or_create(user=user, defaults={"organisation": organisation})


@transaction.atomic
def create_account(
    username: str, role: Role, *, superuser: bool = False, organisation: str | None = None
) -> NewAccount:
    """Create a user with a random password and a first API token, both returned once."""
    ensure_role_groups()
    password = secrets.token_urlsafe(18)
    if superuser:
        user = User.objects.create_superuser(username=username, password=password)
    else:
        user = User.objects.create_user(username=username, password=password)
    user.groups.add(Group.objects.get(name=role.value))
    if organisation is not None:
        set_organisation(user, organisation)
    token = issue_token(user, name="created with the account")
    return NewAccount(username=username, password=password, token=token)
