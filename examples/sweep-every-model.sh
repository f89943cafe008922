#!/bin/sh
# Every model's parameter grid on the flagship, each point with Monte Carlo draws of the
# positions, stored in a results store (docs/performance.md, "Sweeps").
#
#   sh examples/sweep-every-model.sh                 # 2,000 draws a point, store runs/
#   DRAWS=10000 STORE=out/runs sh examples/sweep-every-model.sh --dask local
#
# 25 points: exchange 3 x 3, eum 2 x 2, nash 2 x 2, smp 3 x 2, median and compromise at
# their defaults. Stopped part-way (Ctrl-C), the same command resumes the run. Extra
# arguments go to `zopa sweep` (--workers, --dask, --seed, --format).
set -e
cd "$(dirname "$0")/.."
exec zopa sweep scenarios/ukraine-ceasefire-2026.yaml --model all \
  --grid exchange.salience_weight=0.2,0.4,0.6 \
  --grid exchange.fixed_weight=0.05,0.1,0.2 \
  --grid eum.q=0.5,1 \
  --grid eum.t=0.5,1 \
  --grid nash.breakdown=0.5,1 \
  --grid nash.joint=false,true \
  --grid smp.victory_power=0.5,1,2 \
  --grid smp.stochastic=false,true \
  --draws "${DRAWS:-2000}" --store "${STORE:-runs}" "$@"
