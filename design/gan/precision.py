"""Which arithmetic the design GAN trains in: the `precision` setting, without TensorFlow.

Separate from model.py so the settings check, the job and the tests can resolve "auto" without
loading TensorFlow (only the design worker may).
"""

from __future__ import annotations

from shop.hardware import has_fast_bfloat16, parse_cpu_flags

PRECISIONS = ("auto", "float32", "mixed_bfloat16")


def cpu_has_bf16(cpuinfo: str | None = None) -> bool:
    """Whether this CPU multiplies bfloat16 in hardware (AMX or AVX512-BF16: shop.hardware).

    `cpuinfo` is a /proc/cpuinfo text (the machine's own when None); a machine without the file
    (not Linux) counts as without: float32 is never wrong, only slower."""
    return has_fast_bfloat16(None if cpuinfo is None else parse_cpu_flags(cpuinfo))


def resolve_precision(precision: str, cpuinfo: str | None = None) -> str:
    """The precision to train in: "auto" becomes "mixed_bfloat16" on a CPU with bfloat16
    hardware and "float32" elsewhere; the two explicit settings are kept as they are."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
    if precision != "auto":
        return precision
    return "mixed_bfloat16" if cpu_has_bf16(cpuinfo) else "float32"
