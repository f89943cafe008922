"""``zopa serve``: starts without loading the web stack into other commands, and serves."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

from web_helpers import FLAGSHIP

WEB_STACK = ["fastapi", "uvicorn", "sqlalchemy", "starlette"]


def test_the_command_line_loads_no_web_stack():
    code = (
        "import sys\n"
        "sys.argv = ['zopa', '--help']\n"
        "import zopa.cli\n"
        f"print([m for m in {WEB_STACK!r} if m in sys.modules])\n"
        "from zopa.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print([m for m in {[*WEB_STACK, 'numpy', 'pydantic']!r} if m in sys.modules],"
        " file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[0] == "[]"
    assert out.stderr.strip() == "[]"
    assert "serve" in out.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_on_loopback_and_prints_its_address(tmp_path):
    port = _free_port()
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    zopa = [sys.executable, "-m", "zopa", "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*zopa, "--scenario", str(FLAGSHIP)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        listed = None
        for _ in range(300):  # up to 30 s for the first start
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/scenarios") as r:
                    listed = json.loads(r.read())
                break
            except OSError:
                time.sleep(0.1)
        assert listed is not None, "the server did not answer"
        assert [s["name"] for s in listed] == ["ukraine-ceasefire-2026"]
        assert (tmp_path / "zopa" / "zopa.db").is_file()  # the store in the data folder
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json") as r:
            assert "/api/scenarios/{scenario_id}/what-if" in json.loads(r.read())["paths"]
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in out
