"""Every script in examples/ runs and prints what its slide says."""

import os
import subprocess
import sys

import pytest

from tensorflux.utils import png

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
EXAMPLES = os.path.join(ROOT, "examples")

EXPECTED = {
    "01_graph_and_session.py": ["y = 7", "30.0 15.0 2.0 100.0", "12.0", "[99, 98, 97]",
                                "InvalidArgumentError: You must feed a value for placeholder"],
    "02_device_placement.py": ["/device:CPU:0 /device:GPU:0 /device:GPU:0", "y = 7"],
    "03_tensors.py": ["(2, 4, 3) (4, 2, 3) (3, 4, 2)", "[[ 58  64]", "[[3], [3]]"],
    "04_gradients.py": ["5.2831855"],
    "05_variable_scopes.py": ["['bias/b:0']", "foo/v:0", "Variable b already exists, disallowed.",
                              "same b: True"],
    "06_save_restore.py": ["Model saved in file:", "[('v1', [3]), ('v2', [5])]",
                           "Model restored.", "v1 : [1. 1. 1.]", "v2 : [0. 0. 0. 0. 0.]"],
    "08_cnn_layers.py": ["(?, 28, 28, 32) (?, 14, 14, 32) (?, 14, 14, 32) (?, 28, 28, 8)",
                         "conv2d/kernel:0", "step 4 loss"],
    "11_distributed_training.py": ["workers exited with [0, 0]", "worker 0:", "worker 1:"],
    "09_batch_norm.py": ["[-1.2238274  0.         1.2238274]",
                         "[-0.7356431   0.39381903  1.5232811 ]"],
}


def _run(args, cwd):
    return subprocess.run([sys.executable] + args, capture_output=True, text=True, cwd=cwd,
                          timeout=300)


@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_example_prints_what_the_slide_says(script, tmp_path):
    p = _run([os.path.join(EXAMPLES, script)], tmp_path)
    assert p.returncode == 0, p.stderr[-2000:]
    for fragment in EXPECTED[script]:
        assert fragment in p.stdout, (fragment, p.stdout[-3000:])


def test_conv2d_photo_writes_feature_maps(tmp_path):
    out = tmp_path / "maps.png"
    p = _run([os.path.join(EXAMPLES, "07_conv2d_photo.py"), "--out", str(out)], tmp_path)
    assert p.returncode == 0, p.stderr[-2000:]
    assert "(1, 112, 112, 64)" in p.stdout and "(1, 56, 56, 64)" in p.stdout
    img = png.read_png(str(out))
    assert img.shape == (464, 696) and img.std() > 20


def test_every_example_is_covered():
    scripts = {f for f in os.listdir(EXAMPLES) if f.endswith(".py")}
    assert scripts == set(EXPECTED) | {"07_conv2d_photo.py", "10_train_fashion_mnist.py"}
