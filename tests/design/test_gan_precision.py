"""The GAN's `precision` setting: "auto" picks bfloat16 only on a CPU that has it in hardware.

The detection reads /proc/cpuinfo text; here it is given excerpts of real machines' files, so
the tests say the same on every machine (and need no TensorFlow, except the last, marked slow).
"""

from __future__ import annotations

import pytest

from design.gan.precision import PRECISIONS, cpu_has_bf16, resolve_precision

SAPPHIRE_RAPIDS = (
    "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Platinum 8488C\n"
    "flags\t\t: fpu vme sse sse2 avx avx2 avx512f avx512bw avx512_vnni avx512_bf16 amx_bf16"
    " amx_tile amx_int8\nbugs\t\t: spectre_v1\n"
)
ICE_LAKE = """processor\t: 0
model name\t: Intel(R) Xeon(R) Platinum 8375C
flags\t\t: fpu vme sse sse2 avx avx2 avx512f avx512bw avx512_vnni avx512_vbmi2
"""
ZEN4 = """processor\t: 0
model name\t: AMD EPYC 9R14
flags\t\t: fpu sse sse2 avx avx2 avx512f avx512_bf16 avx512_vnni
"""
# Not the flags line, or not the whole word: neither may count.
LOOKALIKES = """processor\t: 0
model name\t: amx_bf16 avx512_bf16 lab machine
flags\t\t: fpu sse avx2 amx_bf16x avx512_bf16_old
"""
ARM = """processor\t: 0
Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics bf16 i8mm
"""


@pytest.mark.parametrize(
    ("cpuinfo", "expected"),
    [
        (SAPPHIRE_RAPIDS, True),
        (ZEN4, True),
        (ICE_LAKE, False),
        (LOOKALIKES, False),
        (ARM, False),
        ("", False),
    ],
    ids=["amx", "avx512_bf16", "avx512-without-bf16", "lookalikes", "arm", "empty"],
)
def test_bf16_hardware_is_found_by_the_cpu_flags(cpuinfo, expected):
    assert cpu_has_bf16(cpuinfo) is expected


def test_auto_trains_in_bfloat16_only_where_the_cpu_has_it():
    assert resolve_precision("auto", SAPPHIRE_RAPIDS) == "mixed_bfloat16"
    assert resolve_precision("auto", ICE_LAKE) == "float32"
    # An explicit choice is kept, whatever the CPU.
    assert resolve_precision("float32", SAPPHIRE_RAPIDS) == "float32"
    assert resolve_precision("mixed_bfloat16", ICE_LAKE) == "mixed_bfloat16"
    assert set(PRECISIONS) == {"auto", "float32", "mixed_bfloat16"}
    with pytest.raises(ValueError):
        resolve_precision("float16", SAPPHIRE_RAPIDS)


def test_without_a_readable_cpuinfo_auto_falls_back_to_float32(monkeypatch, tmp_path):
    from design.gan import precision
    from shop import hardware

    # The machine's flags as shop.hardware reads them from a file that is not there.
    missing, read = str(tmp_path / "no-cpuinfo"), hardware.cpu_flags.__wrapped__
    monkeypatch.setattr(hardware, "cpu_flags", lambda: read(missing))
    assert precision.cpu_has_bf16() is False
    assert precision.resolve_precision("auto") == "float32"


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
def test_mixed_bfloat16_keeps_weights_pictures_and_scores_in_float32():
    import numpy as np

    from design.gan.model import GanConfig, build_discriminator, build_generator

    config = GanConfig(size=16, num_classes=3, latent_dim=8, channels=32)
    generator = build_generator(config, "mixed_bfloat16")
    discriminator = build_discriminator(config, "mixed_bfloat16")
    z = np.zeros((2, 8), np.float32)
    y = np.array([0, 2], np.int32)
    pictures = generator([z, y], training=False)
    scores = discriminator([pictures.numpy(), y], training=False)
    assert pictures.dtype == "float32" and scores.dtype == "float32"
    # The hidden layers compute in bfloat16 (that is the speed), their weights stay float32
    # (so the optimisers, the EMA and the checkpoints are the same as a float32 run's).
    hidden = [layer for layer in generator.layers if layer.name.startswith("conv2d")]
    assert hidden and all(layer.compute_dtype == "bfloat16" for layer in hidden)
    assert generator.get_layer("rgb").compute_dtype == "float32"
    weights = generator.weights + discriminator.weights
    assert all(w.dtype == "float32" for w in weights)
    assert build_generator(config, "float32").layers[-2].compute_dtype == "float32"
