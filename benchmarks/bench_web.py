"""What-if latency of the web app on the flagship: medians, server time and round trip.

Starts ``zopa serve`` on loopback with the flagship (a temporary store), warms it up, then
times what-if requests that move one position each time (so no answer is cached):

- every model, no draws: goal under 150 ms server time;
- every model, 1,000 draws: goal under 1 s;
- the deal space: goal under 1 s.

Server time is the ``elapsed_ms`` the server reports (from the request's arrival at the
route to the answer's JSON); round trip adds HTTP on loopback.

Usage: .venv/bin/python benchmarks/bench_web.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from web_server import Server

CASES = [
    ("every model, no draws", {"forecast": {"models": ["all"], "draws": 0}}, 150),
    ("every model, 1,000 draws", {"forecast": {"models": ["all"], "draws": 1000}}, 1000),
    ("deal space", {"forecast": None, "deals": {}}, 1000),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} CPUs, {args.runs} runs")
    with Server() as server:
        for name, analyses, goal in CASES:
            server_ms, trip_ms = [], []
            for k in range(args.runs + 2):
                position = 20 + (k * 7) % 60
                body = {
                    "overrides": {
                        "stances": [{"actor": "US", "issue": "territory", "position": position}]
                    },
                    **analyses,
                }
                started = time.perf_counter()
                status, answer = server.post("/api/scenarios/1/what-if", body)
                elapsed = (time.perf_counter() - started) * 1000
                assert status == 200, status
                if k >= 2:  # the first two warm up (kernels loaded, caches filled)
                    server_ms.append(float(answer["elapsed_ms"]))  # type: ignore[arg-type]
                    trip_ms.append(elapsed)
            median = statistics.median(server_ms)
            verdict = "under" if median < goal else "OVER"
            print(
                f"{name:26s} server median {median:8.1f} ms  round trip median "
                f"{statistics.median(trip_ms):8.1f} ms  goal {goal} ms: {verdict}"
            )


if __name__ == "__main__":
    main()
