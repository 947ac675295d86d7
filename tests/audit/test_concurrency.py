"""Two writers appending at once still make one chain: entries are appended under a lock."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import backend_name
from tests.test_cli import run
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.audit import services
from ulinzi.audit.models import Action, AuditEntry

EACH = 40

# Waits until both writers are ready, so their appends overlap.
WRITER = """
import os, sys, time
import django
django.setup()
from ulinzi.audit import services
from ulinzi.audit.models import Action
name, folder = sys.argv[1], sys.argv[2]
open(os.path.join(folder, "ready-" + name), "w").close()
while len([f for f in os.listdir(folder) if f.startswith("ready-")]) < 2:
    time.sleep(0.01)
for n in range(int(sys.argv[3])):
    services.record(services.Actor(name, None, "", ""), Action.READ, "incidents.event", [n], 2)
"""


@pytest.mark.slow
def test_two_processes_on_one_sqlite_file_do_not_fork_the_chain(tmp_path: Path):
    assert run(["migrate"], tmp_path).returncode == 0
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ulinzi.settings",
        "ULINZI_VAR_DIR": str(tmp_path / "var"),
        "ULINZI_DATABASE_URL": f"sqlite:///{tmp_path / 'scratch.sqlite3'}",
    }
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, name, str(tmp_path), str(EACH)], env=env)  # noqa: S603  our own code
        for name in ("one", "two")
    ]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    verified = run(["audit", "verify"], tmp_path)
    assert verified.returncode == 0, verified.stdout
    assert f"the audit log holds: {2 * EACH} entries" in verified.stdout


def test_two_connections_to_the_test_database_do_not_fork_the_chain(transactional_db):
    if backend_name() == "sqlite3":
        # The SQLite test database is a shared-cache memory database, where a second writer fails
        # at once ("table is locked") instead of waiting its turn; the test above uses a file.
        # What serialises writers there is that every transaction begins IMMEDIATE.
        assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        return
    before = AuditEntry.objects.count()
    failures: list[BaseException] = []
    ready = threading.Barrier(2)

    def write(name: str) -> None:
        try:
            ready.wait()
            for n in range(EACH):
                actor = services.Actor(name, None, "", "")
                services.record(actor, Action.READ, "incidents.event", [n], Sensitivity.CONFIDENTIAL)
        except BaseException as error:  # reported by the test's thread below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert AuditEntry.objects.count() == before + 2 * EACH
    assert services.verify().holds
