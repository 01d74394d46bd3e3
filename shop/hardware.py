"""What the processor can do, for the settings that choose a numeric precision by machine.

Why: on a CPU with bfloat16 matrix instructions (Intel AMX or AVX512-BF16, e.g. Sapphire
Rapids), a bfloat16 matrix product runs several times as fast as a float32 one (on the 2-core
machine of docs/benchmarks.md: 8-11 times for a 8192x384 by 384x1536 product in torch), so
fine-tuning and scoring with the e5 encoder, and training the design GAN, choose bfloat16
there. Without those instructions bfloat16 is emulated and slower than float32, so "auto"
settings fall back to float32. No torch or TensorFlow import here: the flags come from the
operating system, so the web process can read them too.
"""

from __future__ import annotations

import functools
from pathlib import Path

# Either is enough for fast bfloat16 matrix products in oneDNN (torch and TensorFlow).
BFLOAT16_FLAGS = frozenset({"amx_bf16", "avx512_bf16"})

AUTO = "auto"
FLOAT32 = "float32"
BFLOAT16 = "bfloat16"


def parse_cpu_flags(cpuinfo_text: str) -> frozenset[str]:
    """The feature flags in the text of a /proc/cpuinfo (whole words: the first "flags" line)."""
    for line in cpuinfo_text.splitlines():
        name, _, value = line.partition(":")
        if name.strip() in ("flags", "Features"):
            return frozenset(value.split())
    return frozenset()


@functools.cache
def cpu_flags(cpuinfo: str = "/proc/cpuinfo") -> frozenset[str]:
    """The processor's feature flags (Linux); empty where /proc/cpuinfo cannot be read."""
    try:
        return parse_cpu_flags(Path(cpuinfo).read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return frozenset()


def has_fast_bfloat16(flags: frozenset[str] | None = None) -> bool:
    return bool(BFLOAT16_FLAGS & (cpu_flags() if flags is None else flags))


def resolve_precision(
    setting: str, *, flags: frozenset[str] | None = None, allowed: tuple[str, ...] = ()
) -> str:
    """ "auto" -> "bfloat16" on a CPU with fast bfloat16, else "float32"; others as given.

    `allowed` (when given) lists the values besides "auto" a caller accepts: anything else is
    a configuration error, raised as ValueError with the choices named.
    """
    value = (setting or AUTO).strip().lower()
    if value == AUTO:
        return BFLOAT16 if has_fast_bfloat16(flags) else FLOAT32
    if allowed and value not in allowed:
        choices = ", ".join((AUTO, *allowed))
        raise ValueError(f"Unknown precision {setting!r}: choose one of {choices}.")
    return value
