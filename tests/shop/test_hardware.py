"""shop.hardware: the CPU's flags decide what "auto" precision means."""

import pytest

from shop.hardware import cpu_flags, has_fast_bfloat16, resolve_precision

CPUINFO = """processor\t: 0
vendor_id\t: GenuineIntel
flags\t\t: fpu sse2 avx2 avx512f {extra}

processor\t: 1
flags\t\t: fpu sse2 avx2 avx512f {extra}
"""


def write_cpuinfo(tmp_path, extra: str) -> str:
    path = tmp_path / f"cpuinfo-{extra or 'plain'}"
    path.write_text(CPUINFO.format(extra=extra))
    return str(path)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [("amx_bf16 amx_tile", True), ("avx512_bf16", True), ("avx512_vnni", False), ("", False)],
)
def test_bfloat16_counts_as_fast_only_with_its_matrix_instructions(tmp_path, extra, expected):
    flags = cpu_flags(write_cpuinfo(tmp_path, extra))

    assert "avx2" in flags
    assert has_fast_bfloat16(flags) is expected
    assert resolve_precision("auto", flags=flags) == ("bfloat16" if expected else "float32")


def test_an_unreadable_cpuinfo_means_no_flags_and_float32(tmp_path):
    flags = cpu_flags(str(tmp_path / "missing"))

    assert flags == frozenset()
    assert resolve_precision("", flags=flags) == "float32"


def test_an_explicit_precision_is_kept_and_an_unknown_one_refused():
    assert resolve_precision("Float32", allowed=("float32", "bfloat16")) == "float32"
    assert resolve_precision("bfloat16", flags=frozenset()) == "bfloat16"
    with pytest.raises(ValueError, match="auto, float32, bfloat16"):
        resolve_precision("fp8", allowed=("float32", "bfloat16"))
