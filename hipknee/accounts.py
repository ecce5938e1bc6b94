"""Who the data belongs to. Without login everything is the one local user's; with login, the signed-in
person's, identified by the identity provider's claims."""

from __future__ import annotations

from collections.abc import Mapping

from hipknee.errors import ValidationError, shorten

LOCAL_USER = "local"  # the one person of a database without login
MAX_USER_ID = 200


SUBJECT_PREFIX = "sub:"


def user_id_from_claims(claims: Mapping[str, object]) -> str:
    """A stable id for a signed-in person: the verified e-mail, else the subject claim, via ``normalise_user_id``.

    The e-mail counts as verified only when ``email_verified`` is the JSON boolean ``true``: a missing claim,
    ``"true"``/``"false"`` strings or numbers do not (OIDC Core 1.0, section 5.1, defines it as a boolean).
    Subjects are prefixed so that no login can ever become the no-login user "local".
    """
    email = claims.get("email")
    if isinstance(email, str) and "@" in email and claims.get("email_verified") is True:
        return normalise_user_id(email)
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.strip():
        raise ValidationError("the identity provider sent neither a verified e-mail address nor a subject id")
    return normalise_user_id(SUBJECT_PREFIX + sub)


def normalise_user_id(raw: str) -> str:
    """The one form of a user id, used by login and by every CLI ``--user``/``--from``/``--to``.

    Surrounding spaces go; e-mail addresses (and "local") are lower-cased, so ``Dana@Example.org`` and
    ``dana@example.org`` are one person; a ``sub:`` subject id keeps its case (providers' subjects are
    case-sensitive). Raises ValidationError for an empty, overlong or control-character id.
    """
    text = raw.strip()
    if text[: len(SUBJECT_PREFIX)].lower() == SUBJECT_PREFIX:
        subject = text[len(SUBJECT_PREFIX) :].strip()
        if not subject:
            raise ValidationError("a sub: user id needs the subject after the colon", "user")
        text = SUBJECT_PREFIX + subject
    else:
        text = text.lower()
    return check_user_id(text)


def check_user_id(user_id: str) -> str:
    if not user_id or not user_id.strip():
        raise ValidationError("a user id cannot be empty", "user")
    if len(user_id) > MAX_USER_ID:
        raise ValidationError(f"a user id can be at most {MAX_USER_ID} characters", "user")
    if not user_id.isprintable():
        raise ValidationError("a user id cannot contain control characters", "user")
    return user_id


def resolve_cli_user(requested: str | None, known_users: list[str]) -> str:
    """The user a CLI command acts for: ``--user`` (normalised as login does) when given, else the only user
    in the database.

    Once a database holds more than one user, ``--user`` is required, so that no command ever mixes them.
    """
    if requested is not None:
        return normalise_user_id(requested)
    if len(known_users) > 1:
        shown = ", ".join(shorten(u) for u in sorted(known_users)[:5]) + (" …" if len(known_users) > 5 else "")
        raise ValidationError(
            f"this database holds {len(known_users)} users ({shown}); say which one with --user ID", "user"
        )
    return known_users[0] if known_users else LOCAL_USER
