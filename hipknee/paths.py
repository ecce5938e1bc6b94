"""Where the project's files live."""

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
DEFAULT_DB_PATH = DATA_DIR / "hipknee.db"
SAMPLE_DB_PATH = DATA_DIR / "sample.db"
