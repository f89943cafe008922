"""The scenario store on SQLite and on a real PostgreSQL server started for the test.

The PostgreSQL test starts a throwaway server with ``initdb``/``pg_ctl`` (Debian's
``postgresql`` package) on a Unix socket in a temporary folder, and is skipped, with the
reason, where those programs are missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from zopa.web.store import Conflict, NotFound, Store

from web_helpers import THREE


def _exercise(store: Store) -> None:
    text = THREE.read_text()
    made = store.create("three", text, author="ana", message="first")
    assert made.latest == 1
    with pytest.raises(Conflict):
        store.create("three", text, author="ana", message="again")
    v2 = store.add_version(made.id, text + "# edited\n", author="ben", message="second")
    assert v2.number == 2
    assert [v.number for v in store.versions(made.id)] == [1, 2]
    assert store.version(made.id).text.endswith("# edited\n")
    assert store.version(made.id, 1).text == text
    assert store.version(made.id, 1).created.tzinfo is not None
    assert store.scenario(made.id).latest == 2
    assert store.find("three") == store.scenario(made.id)
    store.add_deal(made.id, "d.yaml", "zopa_deal: 1\n")
    assert store.deals(made.id) == {"d.yaml": "zopa_deal: 1\n"}
    with pytest.raises(Conflict):
        store.add_deal(made.id, "d.yaml", "x")
    with pytest.raises(NotFound):
        store.version(made.id, 9)
    with pytest.raises(NotFound):
        store.add_version(999, text, author="a", message="m")
    store.create("another", text, author="ana", message="m")
    assert [s.name for s in store.scenarios()] == ["another", "three"]
    store.delete(made.id)
    with pytest.raises(NotFound):
        store.scenario(made.id)
    assert [s.name for s in store.scenarios()] == ["another"]


def test_sqlite_store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'zopa.db'}")
    try:
        _exercise(store)
    finally:
        store.close()
    reopened = Store(f"sqlite:///{tmp_path / 'zopa.db'}")  # kept on disk
    assert [s.name for s in reopened.scenarios()] == ["another"]
    reopened.close()


def _postgres_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return candidates[-1].parent if candidates else None


@pytest.fixture
def postgres_url():
    pg = _postgres_bin()
    if pg is None or not (pg / "initdb").exists():
        pytest.skip("no PostgreSQL server programs (install Debian's postgresql package)")
    pytest.importorskip("psycopg", reason="the psycopg driver is not installed")
    run_as: list[str] = []
    # a folder of its own under the system's temporary folder, which the server's user
    # can reach (pytest's folders are private to the user running the tests)
    folder = Path(tempfile.mkdtemp(prefix="zopa-pg-"))
    if os.geteuid() == 0:  # initdb refuses to run as root: run it as the postgres user
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: cannot start PostgreSQL")
        try:
            shutil.chown(folder, "postgres")
        except (LookupError, PermissionError):
            pytest.skip("running as root and there is no postgres user to start PostgreSQL as")
        run_as = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    made = subprocess.run(
        [*run_as, str(pg / "initdb"), "-D", str(data), "-U", "zopa", "-A", "trust"],
        capture_output=True,
        text=True,
    )
    if made.returncode:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"initdb failed: {made.stderr.strip()}")
    options = f"-k {folder} -c listen_addresses='' -p 55432"
    log = folder / "server.log"
    # the server outlives pg_ctl: its output goes to a log file, not to a pipe we wait on
    start = ["-D", str(data), "-o", options, "-l", str(log), "-w", "-t", "60", "start"]
    subprocess.run(
        [*run_as, str(pg / "pg_ctl"), *start],
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=90,
    )
    try:
        subprocess.run(
            [str(pg / "createdb"), "-h", str(folder), "-p", "55432", "-U", "zopa", "zopa"],
            check=True,
            capture_output=True,
        )
        yield f"postgresql+psycopg://zopa@/zopa?host={folder}&port=55432"
    finally:
        subprocess.run(
            [*run_as, str(pg / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


def test_postgresql_store(postgres_url):
    store = Store(postgres_url)
    try:
        _exercise(store)
    finally:
        store.close()
