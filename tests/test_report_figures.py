"""Drawing report figures leaves the caller's matplotlib alone."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"

# the caller picks a backend other than Agg, imports every report module and draws a map
CALLER = """
import json, pkgutil, sys
from pathlib import Path
import matplotlib
matplotlib.use("svg")
import zopa.report
for m in pkgutil.iter_modules(zopa.report.__path__):
    __import__(f"zopa.report.{m.name}")
from zopa.io import load_scenario
from zopa.report.position_map import plot_position_map
path = plot_position_map(load_scenario(sys.argv[1]), "elections", Path(sys.argv[2]))
print(json.dumps({
    "backend": matplotlib.get_backend(),
    "pyplot": "matplotlib.pyplot" in sys.modules,
    "written": str(path),
}))
"""


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_drawing_keeps_the_callers_backend_and_never_loads_pyplot(tmp_path: Path) -> None:
    target = tmp_path / "map.png"
    out = subprocess.run(
        [sys.executable, "-c", CALLER, str(FLAGSHIP), str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(out.stdout)
    assert seen == {"backend": "svg", "pyplot": False, "written": str(target)}
    # figsize (11, 2.3 + 0.36 x (3 actors with a stance + the status quo row)) inches at
    # 110 dpi, cut to pixels
    assert png_size(target) == (1210, 411)
