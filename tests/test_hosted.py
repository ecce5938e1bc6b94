"""Hosted mode: login decides whose data it is; the CLI never mixes users."""

import datetime as dt

import pytest

from hipknee.accounts import resolve_cli_user, user_id_from_claims
from hipknee.errors import ConflictError, ValidationError
from hipknee.journal import Entry
from hipknee.plaintext import md, md_unescape, shorten
from hipknee.store import LOCAL_USER, Store

AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                 "client_id": "id", "client_secret": "secret",
                 "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}}
D = dt.date(2025, 5, 1)


def test_user_id_from_claims():
    assert user_id_from_claims({"email": "Alice@Example.com", "sub": "123"}) == "alice@example.com"
    assert user_id_from_claims({"sub": "123"}) == "sub:123"
    assert user_id_from_claims({"email": "a@b.c", "email_verified": False, "sub": "9"}) == "sub:9"
    assert user_id_from_claims({"sub": "local"}) != LOCAL_USER
    with pytest.raises(ValidationError):
        user_id_from_claims({"name": "no id"})


def test_cli_user_resolution():
    assert resolve_cli_user(None, []) == LOCAL_USER
    assert resolve_cli_user(None, ["alice@x.org"]) == "alice@x.org"
    assert resolve_cli_user("bob", ["alice", "bob"]) == "bob"
    with pytest.raises(ValidationError, match="--user"):
        resolve_cli_user(None, ["alice", "bob"])
    with pytest.raises(ValidationError):
        resolve_cli_user("", ["alice"])


def test_without_login_everything_is_local(app_test, store):
    at = app_test("pages/journal.py")
    at.button(key="save_entry").click().run()
    assert store.for_user(LOCAL_USER).count_entries() == 1
    assert store.list_users() == [LOCAL_USER]


def test_login_required_when_configured(app_test, store):
    store.add_entry(Entry(D, 9, notes="local secret"))
    at = app_test("pages/journal.py", secrets=AUTH, user={"is_logged_in": False})
    assert not at.exception
    assert [t.value for t in at.title] == ["Sign in"]
    assert [b.label for b in at.button] == ["Log in"]
    assert not at.dataframe and not at.slider  # nothing of anyone's journal is shown


def test_the_signed_in_name_is_plain_text(app_test, store):
    """The identity provider's e-mail claim is shown as text: no link, image or icon from it (issue 11)."""
    claim = "[Log in again](https://example.org/x) :material/home: ![p](https://example.org/p.png)@example.org"
    at = app_test("pages/journal.py", secrets=AUTH, user={"is_logged_in": True, "email": claim, "sub": "e1"})
    assert not at.exception
    captions = [c.value for c in at.sidebar.caption]
    assert f"Signed in as {md(shorten(claim))}" in captions
    assert "](" not in " ".join(captions) and ":material/" not in " ".join(captions)
    assert md_unescape(md(shorten(claim))) == shorten(claim)
    assert len(shorten(claim)) == 80  # a very long name is cut


def test_signed_in_people_see_only_their_own(app_test, store):
    store.add_entry(Entry(D, 9, notes="local secret"))
    alice = {"is_logged_in": True, "email": "alice@example.com", "sub": "a1"}
    at = app_test("pages/journal.py", secrets=AUTH, user=alice)
    assert not at.exception
    assert any("No entries yet" in i.value for i in at.info)  # not the local user's entry
    at.slider[0].set_value(3)
    at.button(key="save_entry").click().run()
    assert store.for_user("alice@example.com").count_entries() == 1
    bob = {"is_logged_in": True, "email": "bob@example.com", "sub": "b1"}
    at_bob = app_test("pages/journal.py", secrets=AUTH, user=bob)
    assert any("No entries yet" in i.value for i in at_bob.info)
    assert sorted(store.list_users()) == ["alice@example.com", LOCAL_USER]


def test_local_data_moves_to_a_login_without_loss(any_store):
    any_store.add_entry(Entry(D, 4, notes="mine"))
    sid = any_store.start_session(session_date=D, routine={}, steps_planned=1, seconds_planned=30)
    assert any_store.reassign_to("carol@example.com") == 2
    carol = any_store.for_user("carol@example.com")
    assert carol.get_entry(D).notes == "mine"
    assert list(carol.sessions_frame()["id"]) == [sid]
    assert any_store.count_entries() == 0
    any_store.add_entry(Entry(D, 1))
    with pytest.raises(ConflictError):
        any_store.reassign_to("carol@example.com")
    assert carol.get_entry(D).worst_pain == 4 and any_store.get_entry(D).worst_pain == 1


def test_cli_acts_for_one_user(store, capsys):
    from hipknee.cli import main

    store.for_user("alice@example.com").add_entry(Entry(D, 2, notes="alice"))
    assert main(["export"]) == 0  # one user in the database: that user
    assert "alice" in capsys.readouterr().out
    store.for_user("bob@example.com").add_entry(Entry(D, 7, notes="bob"))
    assert main(["export"]) == 1
    err = capsys.readouterr().err
    assert "--user" in err and err.count("\n") == 1
    assert main(["export", "--user", "bob@example.com"]) == 0
    out = capsys.readouterr().out
    assert "bob" in out and "alice" not in out
    assert main(["users"]) == 0
    assert capsys.readouterr().out.splitlines() == ["alice@example.com\t1 entries", "bob@example.com\t1 entries"]


def test_cli_reassign(store, capsys):
    from hipknee.cli import main

    store.add_entry(Entry(D, 3))
    assert main(["reassign", "--from", "local", "--to", "dana@example.com"]) == 0
    assert store.for_user("dana@example.com").count_entries() == 1
    store.add_entry(Entry(D, 4))
    assert main(["reassign", "--from", "local", "--to", "dana@example.com"]) == 1
    assert "already has data" in capsys.readouterr().err
    assert store.count_entries() == 1
