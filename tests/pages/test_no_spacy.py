"""Pages never import spaCy: each page, run on the seed tables in a fresh interpreter, leaves
`spacy` out of `sys.modules` (the model is loaded only when the Add page parses new articles)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PAGES = sorted(p.stem for p in (ROOT / "pages").glob("*.py"))
RUN_PAGE = """
import json, sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=120).run()
print(json.dumps({"exception": bool(at.exception), "spacy": "spacy" in sys.modules}))
"""


@pytest.mark.parametrize("name", PAGES)
def test_page_runs_without_spacy(name, app_data):
    env = {**os.environ, "DASHBOARD_DATA": str(app_data)}
    done = subprocess.run([sys.executable, "-c", RUN_PAGE, str(ROOT / "pages" / f"{name}.py")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"exception": False, "spacy": False}
