"""Which arithmetic the design GAN trains in: the `precision` setting, without TensorFlow.

Separate from model.py so the settings check, the job and the tests can resolve "auto" without
loading TensorFlow (only the design worker may).
"""

from __future__ import annotations

from pathlib import Path

PRECISIONS = ("auto", "float32", "mixed_bfloat16")
# /proc/cpuinfo flags of a CPU that multiplies bfloat16 in hardware: AMX tiles (Sapphire Rapids
# and later) or AVX512-BF16 (Cooper Lake, Zen 4). Elsewhere oneDNN emulates bfloat16 and
# mixed precision is slower than float32, so "auto" keeps float32 there.
BF16_CPU_FLAGS = frozenset({"amx_bf16", "avx512_bf16"})


def cpu_has_bf16(cpuinfo: str | None = None) -> bool:
    """Whether this CPU multiplies bfloat16 in hardware, by its /proc/cpuinfo flags.

    `cpuinfo` is the file's text (read when None); a machine without the file (not Linux) or
    with unreadable flags counts as without: float32 is never wrong, only slower."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(errors="replace")
        except OSError:
            return False
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        # x86 calls them "flags"; only whole words count (amx_bf16 is not amx_bf16x).
        if key.strip() == "flags" and BF16_CPU_FLAGS & set(value.split()):
            return True
    return False


def resolve_precision(precision: str, cpuinfo: str | None = None) -> str:
    """The precision to train in: "auto" becomes "mixed_bfloat16" on a CPU with bfloat16
    hardware and "float32" elsewhere; the two explicit settings are kept as they are."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
    if precision != "auto":
        return precision
    return "mixed_bfloat16" if cpu_has_bf16(cpuinfo) else "float32"
