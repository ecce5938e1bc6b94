"""Hosted mode: login decides whose data it is; the CLI never mixes users."""

import datetime as dt

import pytest

from hipknee.accounts import normalise_user_id, resolve_cli_user, user_id_from_claims
from hipknee.errors import ConflictError, ValidationError
from hipknee.journal import Entry
from hipknee.plaintext import md, shorten
from hipknee.store import LOCAL_USER
from tests.helpers import md_unescape
from tests.shown_html import html_tables, html_text

AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                 "client_id": "id", "client_secret": "secret",
                 "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}}
D = dt.date(2025, 5, 1)


def test_user_id_from_claims():
    assert user_id_from_claims({"email": "Alice@Example.com", "email_verified": True, "sub": "123"}) == (
        "alice@example.com"
    )
    assert user_id_from_claims({"sub": "123"}) == "sub:123"
    assert user_id_from_claims({"email": "a@b.c", "email_verified": False, "sub": "9"}) == "sub:9"
    assert user_id_from_claims({"sub": "local"}) != LOCAL_USER
    with pytest.raises(ValidationError):
        user_id_from_claims({"name": "no id"})


@pytest.mark.parametrize(
    "verified", ["false", "true", "True", 0, 1, None, "missing"], ids=lambda v: f"email_verified={v!r}"
)
def test_email_counts_only_when_verified_is_the_boolean_true(verified):
    claims = {"email": "Erin@Example.org", "sub": "Provider-42"}
    if verified != "missing":
        claims["email_verified"] = verified
    assert user_id_from_claims(claims) == "sub:Provider-42"  # the subject, with its case kept
    assert user_id_from_claims({**claims, "email_verified": True}) == "erin@example.org"
    with pytest.raises(ValidationError, match="verified"):
        user_id_from_claims({k: v for k, v in claims.items() if k != "sub"})


def test_one_normalisation_for_login_and_cli():
    login = user_id_from_claims({"email": " Dana@Example.ORG ", "email_verified": True})
    assert login == "dana@example.org"
    for typed in ("Dana@Example.org", " dana@EXAMPLE.org", "DANA@example.org\t"):
        assert normalise_user_id(typed) == login == resolve_cli_user(typed, ["x", "y"])
    assert normalise_user_id("SUB:AbC ") == user_id_from_claims({"sub": " AbC"}) == "sub:AbC"
    assert normalise_user_id(" Local ") == LOCAL_USER
    for bad in ("", "   ", "sub:", "sub:  ", "a\x00b@x.org", "x" * 201):
        with pytest.raises(ValidationError):
            normalise_user_id(bad)


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
    at.pills(key=f"worst_{dt.date.today().isoformat()}").set_value(2)
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
    assert not [m for m in at.markdown if "local secret" in m.value]
    assert not html_tables(at) and "local secret" not in html_text(at)


def test_the_signed_in_name_is_plain_text(app_test, store):
    """The identity provider's e-mail claim is shown as text: no link, image or icon from it (issue 11)."""
    claim = "[Log in again](https://example.org/x) :material/home: ![p](https://example.org/p.png)@example.org"
    at = app_test("pages/journal.py", secrets=AUTH, user={"is_logged_in": True, "email": claim, "sub": "e1"})
    assert not at.exception
    captions = [c.value for c in at.sidebar.caption]
    assert f"Signed in as {md(shorten(claim))}" in captions
    assert "](" not in " ".join(captions) and ":material/" not in " ".join(captions)
    assert md_unescape(md(shorten(claim))) == shorten(claim)
    assert shorten(claim).startswith(claim[:79] + "…") and claim[79:] not in shorten(claim)  # a long name is cut


def test_signed_in_people_see_only_their_own(app_test, store):
    store.add_entry(Entry(D, 9, notes="local secret"))
    alice = {"is_logged_in": True, "email": "alice@example.com", "email_verified": True, "sub": "a1"}
    at = app_test("pages/journal.py", secrets=AUTH, user=alice)
    assert not at.exception
    assert any("No entries yet" in i.value for i in at.info)  # not the local user's entry
    at.pills(key=f"worst_{dt.date.today().isoformat()}").set_value(3)
    at.button(key="save_entry").click().run()
    assert store.for_user("alice@example.com").count_entries() == 1
    bob = {"is_logged_in": True, "email": "bob@example.com", "email_verified": True, "sub": "b1"}
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


def test_cli_ids_land_where_login_reads(store, capsys, tmp_path):
    from hipknee.cli import main

    store.add_entry(Entry(D, 3, notes="local journal"))
    assert main(["reassign", "--from", " LOCAL", "--to", "Dana@Example.org"]) == 0
    assert "to dana@example.org" in capsys.readouterr().out
    dana = user_id_from_claims({"email": "dana@example.org", "email_verified": True, "sub": "d1"})
    assert store.list_users() == [dana]
    assert store.for_user(dana).get_entry(D).notes == "local journal"
    # import/export --user with another spelling of the same person
    csv = tmp_path / "more.csv"
    csv.write_text("date,worst_pain,activity_pain,did_routine,notes\n2025-05-02,5,,0,more\n")
    assert main(["import", str(csv), "--user", "DANA@example.org "]) == 0
    assert store.for_user(dana).count_entries() == 2 and store.list_users() == [dana]
    assert main(["export", "--user", "Dana@EXAMPLE.org"]) == 0
    assert "more" in capsys.readouterr().out
    assert main(["reassign", "--from", "dana@EXAMPLE.org", "--to", "sub:D1"]) == 0
    assert store.list_users() == ["sub:D1"]


@pytest.mark.parametrize("command", [["export"], ["export", "--out", "{out}"], ["report", "--out", "{out}"]])
def test_export_and_report_for_an_id_without_data_fail_and_write_nothing(store, capsys, tmp_path, command):
    from hipknee.cli import main

    store.for_user("alice@example.org").add_entry(Entry(D, 2, notes="alice"))
    store.for_user("bob@example.org").add_entry(Entry(D, 5, notes="bob"))
    out = tmp_path / "out.file"
    argv = [a.replace("{out}", str(out)) for a in command]
    assert main([*argv, "--user", "alcie@example.org"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "alcie@example.org has no data" in captured.err and captured.err.count("\n") == 1
    assert not out.exists() and not list(tmp_path.glob(".out.file*"))  # no file, no temporary file either
    assert main([*argv, "--user", "Alice@Example.org"]) == 0  # the same person, spelled otherwise
    assert (out.exists() and out.stat().st_size > 0) if "--out" in argv else "alice" in capsys.readouterr().out
