"""Whether a kernel's machine code is cached, and a notice before it has to be compiled.

numba compiles a kernel on its first call and caches the machine code (``*.nbi`` index
and ``*.nbc`` data files, in ``kernels/__pycache__`` or numba's user-wide cache
folder). A missing or stale cache means seconds to a minute of compilation, which should
not pass in silence. :func:`load_kernel` imports a kernel module (which defines its functions but
compiles nothing) and, before any of them runs, asks numba's own cache objects whether
the entry points about to be called have machine code for this numba version, this
source file and this processor; if one has not, it logs one line on the ``zopa`` logger
at level WARNING, e.g. ``compiling the smp kernel once (about 20 s; cached
afterwards)``. Library code does not print: the command line routes the ``zopa`` logger
to stderr.

The check reads numba's cache index through attributes numba does not document
(``Dispatcher._cache``, its index file's ``_load_index``); should a numba version lack
them, the check cannot tell and stays silent rather than warn wrongly.
"""

from __future__ import annotations

import importlib
import logging
import pickle
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import ModuleType

logger = logging.getLogger("zopa")

#: About how long each kernel takes to compile on the project's 2-core machine
#: (docs/performance.md), by kernel module.
COMPILE_SECONDS = {"exchange": 35, "expected_utility": 8, "spatial": 20}


def is_cached(dispatcher: Any) -> bool | None:
    """Whether a compiled function has machine code to load rather than compile.

    Args:
        dispatcher: A numba dispatcher (a function decorated with ``njit(cache=True)``).

    Returns:
        True when it is compiled in this process already or numba's cache holds an
        entry for this processor that is current (same numba version, same source
        file); False when it does not; None when the check cannot tell.
    """
    try:
        if dispatcher.signatures:
            return True
        index = dispatcher._cache._cache_file._load_index()
        machine = dispatcher.targetctx.codegen().magic_tuple()
    except (AttributeError, OSError, EOFError, pickle.UnpicklingError, TypeError, ValueError):
        return None
    # index keys: (signature, the processor's magic tuple, hashes of the byte code)
    return any(isinstance(key, tuple) and key[1:2] == (machine,) for key in index)


def load_kernel(module: str, model: str, entry_points: Sequence[str]) -> ModuleType:
    """Import ``zopa.models.kernels.<module>``, with a notice if it must compile first.

    Args:
        module: The kernel module's name.
        model: The model's registered name, for the notice.
        entry_points: The functions the caller is about to run.

    Returns:
        The kernel module.
    """
    kernel = importlib.import_module(f"zopa.models.kernels.{module}")
    if any(is_cached(getattr(kernel, name)) is False for name in entry_points):
        seconds = COMPILE_SECONDS.get(module)
        about = f"about {seconds} s; " if seconds else ""
        logger.warning("compiling the %s kernel once (%scached afterwards)", model, about)
    return kernel
