"""Who the data belongs to. Without login everything is the one local user's; with login, the signed-in
person's, identified by the identity provider's claims."""

from __future__ import annotations

from collections.abc import Mapping

from hipknee.errors import ValidationError
from hipknee.store import LOCAL_USER

MAX_USER_ID = 200


def user_id_from_claims(claims: Mapping[str, object]) -> str:
    """A stable id for a signed-in person: the verified e-mail (lower-cased), else the subject claim.

    Subjects are prefixed so that no login can ever become the no-login user "local".
    """
    email = claims.get("email")
    if isinstance(email, str) and "@" in email and claims.get("email_verified", True) is not False:
        user_id = email.strip().lower()
    else:
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub.strip():
            raise ValidationError("the identity provider sent neither an e-mail address nor a subject id")
        user_id = f"sub:{sub.strip()}"
    return check_user_id(user_id)


def check_user_id(user_id: str) -> str:
    if not user_id or not user_id.strip():
        raise ValidationError("a user id cannot be empty", "user")
    if len(user_id) > MAX_USER_ID:
        raise ValidationError(f"a user id can be at most {MAX_USER_ID} characters", "user")
    if not user_id.isprintable():
        raise ValidationError("a user id cannot contain control characters", "user")
    return user_id


def resolve_cli_user(requested: str | None, known_users: list[str]) -> str:
    """The user a CLI command acts for: ``--user`` when given, else the only user in the database.

    Once a database holds more than one user, ``--user`` is required, so that no command ever mixes them.
    """
    if requested is not None:
        return check_user_id(requested)
    if len(known_users) > 1:
        shown = ", ".join(sorted(known_users)[:5]) + (" …" if len(known_users) > 5 else "")
        raise ValidationError(
            f"this database holds {len(known_users)} users ({shown}); say which one with --user ID", "user"
        )
    return known_users[0] if known_users else LOCAL_USER
