"""The CLI as people and scripts use it: exit codes, one-line errors, files written whole or not at all."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from hipknee.cli import main
from hipknee.csvio import HEADER
from hipknee.journal import Entry

HEADER_LINE = ",".join(HEADER) + "\n"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_to_stdout_and_file(store, capsys, tmp_path):
    store.add_entry(Entry(dt.date(2025, 3, 1), 4, 2, True, "x"))
    code, out, _ = run(capsys, "export")
    assert code == 0 and out == HEADER_LINE + "2025-03-01,4,2,1,x\n"
    target = tmp_path / "backup.csv"
    code, _, err = run(capsys, "export", "--out", str(target))
    assert code == 0 and target.read_text() == out and "1 entries" in err


def test_export_to_unwritable_place_fails_cleanly(store, capsys, tmp_path):
    code, out, err = run(capsys, "export", "--out", str(tmp_path / "missing-dir" / "x.csv"))
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and "cannot write" in err and "missing-dir" in err


def test_import_then_conflict_modes(store, capsys, tmp_path):
    f = tmp_path / "in.csv"
    f.write_text(HEADER_LINE + "2025-03-01,4,,0,\n2025-03-02,5,,1,\n")
    code, out, _ = run(capsys, "import", str(f))
    assert code == 0 and "2 added" in out
    code, _, err = run(capsys, "import", str(f))
    assert code == 1 and "line 2, column date" in err and "nothing was imported" in err
    assert "use --on-conflict skip or replace" in err  # the CLI says how to go ahead in its own terms
    assert err.count("\n") == 1
    code, out, _ = run(capsys, "import", str(f), "--on-conflict", "skip")
    assert code == 0 and "2 skipped" in out
    f.write_text(HEADER_LINE + "2025-03-01,9,,0,\n")
    code, out, _ = run(capsys, "import", str(f), "--on-conflict", "replace")
    assert code == 0 and store.get_entry(dt.date(2025, 3, 1)).worst_pain == 9


@pytest.mark.parametrize("content", [b"", b"\x89PNG\r\n\x1a\n\x00\x00", b"garbage,header\n1,2\n"])
def test_import_bad_files_write_nothing(store, capsys, tmp_path, content):
    f = tmp_path / "bad.csv"
    f.write_bytes(content)
    code, _, err = run(capsys, "import", str(f))
    assert code == 1 and err.count("\n") == 1 and f.name in err
    assert "Traceback" not in err
    assert store.count_entries() == 0


def test_import_missing_file_and_folder(store, capsys, tmp_path):
    code, _, err = run(capsys, "import", str(tmp_path / "nope.csv"))
    assert code == 1 and "cannot read" in err and "nope.csv" in err
    code, _, err = run(capsys, "import", str(tmp_path))
    assert code == 1 and "folder" in err


def test_demo_is_deterministic_for_a_seed(tmp_path, capsys, monkeypatch):
    exports = []
    for name in ("a", "b"):
        monkeypatch.setenv("HIPKNEE_DATABASE_URL", f"sqlite:///{tmp_path / name}.db")
        code, out, _ = run(capsys, "demo", "--days", "60", "--seed", "5")
        assert code == 0 and "demo entries" in out
        exports.append(run(capsys, "export")[1])
    assert exports[0] == exports[1] and exports[0].count("\n") > 40
    code, _, err = run(capsys, "demo", "--days", "0")
    assert code == 1 and "--days" in err


def test_demo_never_mixes_with_real_data(store, capsys):
    store.add_entry(Entry(dt.date.today(), 9, notes="my real entry"))
    code, _, err = run(capsys, "demo", "--days", "30")
    assert code == 1 and "--replace" in err and err.count("\n") == 1
    assert store.count_entries() == 1 and store.get_entry(dt.date.today()).notes == "my real entry"
    code, _, _ = run(capsys, "demo", "--days", "30", "--replace")
    assert code == 0
    sessions = len(store.sessions_frame())
    assert store.count_entries() > 20
    run(capsys, "demo", "--days", "30", "--replace")
    assert len(store.sessions_frame()) == sessions  # not appended twice


def test_storage_error_is_one_line(capsys, monkeypatch, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not sqlite at all" * 50)
    monkeypatch.setenv("HIPKNEE_DATABASE_URL", f"sqlite:///{bad}")
    code, out, err = run(capsys, "export")
    assert code == 1 and out == "" and err.count("\n") == 1 and "cannot open the database" in err


def test_python_m_hipknee_and_console_script(db_url):
    console_script = str(Path(sys.executable).with_name("hipknee"))
    for cmd in ([sys.executable, "-m", "hipknee", "export"], [console_script, "export"]):
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert result.stdout == HEADER_LINE


def test_usage_error_exits_non_zero(capsys):
    with pytest.raises(SystemExit) as info:
        main(["import"])
    assert info.value.code == 2


def test_demo_writes_in_one_transaction(store):
    from sqlalchemy import event

    from hipknee import demo

    begins = []
    event.listen(store.engine, "begin", lambda conn: begins.append(conn))
    data = demo.fill(store, 400, seed=2, end=dt.date.today())
    assert len(begins) == 1  # entries and every session together, not one transaction per session
    assert len(data.sessions) > 100 and store.count_sessions() == len(data.sessions)
    frame = store.sessions_frame()
    assert [d.date() for d in frame["session_date"]] == [s.date for s in data.sessions]
    assert list(frame["status"]) == [s.status for s in data.sessions]


@pytest.mark.parametrize("argv", [["--help"], ["export"], ["export", "--excel"]])
def test_cli_does_not_import_pandas(db_url, argv):
    """pandas (and what it pulls in) costs more than the whole command: only the app's frames need it. Nor
    does an export need the diary importer (issue 18: export of ten years within 1.3x of importing SQLAlchemy)."""
    code = (
        "import sys; from hipknee.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'numpy', 'plotly', 'streamlit'})\n"
        "heavy += sorted({'hipknee.diary_import', 'hipknee.csvio'} & set(sys.modules))\n"
        "print('HEAVY', heavy, file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in result.stderr, result.stderr[-2000:]
