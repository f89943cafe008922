"""Load test on loopback: concurrent clients sending what-if requests for a fixed time.

Starts ``zopa serve`` with the flagship on 127.0.0.1 (a temporary store), runs CLIENTS
threads that each send what-if requests (every model; one in five with 200 draws) moving
a random position, for SECONDS, then stops by itself and prints the count, p50/p95
latency, errors (goal: none) and the server's peak resident memory.

Usage: .venv/bin/python benchmarks/load_web.py [--clients 20] [--seconds 60]
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time

from web_server import Server

ACTORS = ["RU", "UA", "US", "UK", "FR", "DE"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    clients = max(1, min(args.clients, 200))
    seconds = max(1.0, min(args.seconds, 600.0))
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    with Server() as server:
        server.post("/api/scenarios/1/what-if", {"forecast": {"models": ["all"], "draws": 200}})
        stop_at = time.perf_counter() + seconds

        def client(seed: int) -> None:
            rng = random.Random(seed)
            k = 0
            while time.perf_counter() < stop_at:
                k += 1
                draws = 200 if k % 5 == 0 else 0
                body = {
                    "overrides": {
                        "stances": [
                            {
                                "actor": rng.choice(ACTORS),
                                "issue": "territory",
                                "position": rng.randint(0, 100),
                            }
                        ]
                    },
                    "forecast": {"models": ["all"], "draws": draws},
                }
                started = time.perf_counter()
                try:
                    status, _ = server.post("/api/scenarios/1/what-if", body)
                except OSError as exc:
                    status = -1
                    with lock:
                        errors.append(str(exc))
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    if status not in (200, 422, -1):
                        errors.append(f"HTTP {status}")

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        peak = server.peak_memory_mib()
    cuts = statistics.quantiles(latencies, n=20)
    print(f"{clients} clients for {seconds:g} s on loopback: {len(latencies)} requests")
    print(f"latency p50 {statistics.median(latencies):.0f} ms, p95 {cuts[18]:.0f} ms")
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(f"server peak memory: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
