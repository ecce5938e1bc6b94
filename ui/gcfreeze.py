"""Keep Streamlit's full garbage collection after each script run cheap: freeze what the imports built.

Streamlit runs ``gc.collect(2)`` after every script run (``runner.postScriptGC``). With pandas, plotly,
SQLAlchemy and statsmodels loaded, that walk over every tracked object took 65-85 ms per run on an idle
2-core machine and 200-700 ms under load, on every click. Objects that modules create on import live as long
as the process, so after a run that imported new modules we collect once and ``gc.freeze()`` what is left:
later collections skip it, and still collect whatever each run leaves behind. That happens only when the
set of modules grows (a page's first visit), so at most a few times per process.
(Turning the collection off instead was as fast but let memory creep up: bench/memory_rss.py.)
"""

from __future__ import annotations

import gc
import sys

_seen = {"modules": 0}


def freeze_imports() -> None:
    """Call at the end of every run (app.py): freezes the heap when the run imported new modules."""
    count = len(sys.modules)
    if count != _seen["modules"]:
        gc.collect()
        gc.freeze()
        _seen["modules"] = count
