"""Settings: the default SQLite database lets concurrent writers wait their turn."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_concurrent_approvals_and_publishes_on_the_default_sqlite_all_succeed(
    tmp_path,
):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'lineage.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "wiki.settings",
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.wiki.sqlite_writers"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["outcomes"] == ["ok"] * 6
    assert report["bodies"] == ["Approved text."] * 3 + ["Published text."] * 3
