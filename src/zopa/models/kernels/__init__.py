"""Compiled inner loops of the models whose steps within a round are sequential.

A model keeps its public ``forecast`` in ``zopa.models.<model>`` and puts the loop that
numpy cannot batch (exchanges made one after another within a round, SMP turns, EUM
rounds) in a kernel module here, compiled with numba (``njit(cache=True)``, one thread).
Kernel modules are imported inside ``forecast`` so that importing ``zopa.models`` (the
CLI, the registry) does not load numba; the first forecast in a fresh environment
compiles the kernel and caches it next to the module, later processes load the cache.
Kernels take contiguous float64/int64 arrays with the batch axis first and loop over
draws inside compiled code, so a call with D draws equals D separate calls.
"""
