"""Devices: device_count, placement (colocation, soft placement, logging), device_lib, GPUs."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.backends import devices as backend_devices
from tensorflux.client import device_lib
from tensorflux.client import plan as plan_lib

CPU = "/job:localhost/replica:0/task:0/device:CPU:%d"
GPU = "/job:localhost/replica:0/task:0/device:GPU:%d"


def _config(cpus=2, **kwargs):
    return tf.ConfigProto(device_count={"CPU": cpus}, **kwargs)


def _runner(sess):
    """The one cached runner of the session's last signature."""
    return list(sess._runners.values())[-1]


@pytest.fixture
def fake_gpu(monkeypatch):
    """One "GPU" served by the XLA backend on JAX's CPU device (what a GPU machine runs)."""
    pytest.importorskip("jax")
    monkeypatch.setattr(backend_devices, "gpu_count", lambda: 1)
    monkeypatch.setenv("TENSORFLUX_XLA_MIN_RUNS", "0")


# --- device_lib --------------------------------------------------------------------------------
def test_list_local_devices_tells_the_truth():
    devs = device_lib.list_local_devices()
    assert devs[0].name == "/device:CPU:0"
    assert devs[0].device_type == "CPU"
    assert devs[0].memory_limit == 268435456
    assert devs[0].physical_device_desc == ""
    assert isinstance(devs[0].incarnation, int)
    gpus = [d for d in devs if d.device_type == "GPU"]
    assert len(gpus) == backend_devices.gpu_count()
    assert tf.test.is_gpu_available() == bool(gpus)
    text = str(devs[0])
    assert 'name: "/device:CPU:0"' in text and 'device_type: "CPU"' in text
    assert "memory_limit: 268435456" in text


def test_list_local_devices_follows_device_count():
    devs = device_lib.list_local_devices(_config(3, ))
    assert [d.name for d in devs if d.device_type == "CPU"] == [
        "/device:CPU:0", "/device:CPU:1", "/device:CPU:2"]
    devs = device_lib.list_local_devices(tf.ConfigProto(device_count={"GPU": 0}))
    assert all(d.device_type == "CPU" for d in devs)


def test_session_list_devices():
    with tf.Session(config=_config(2)) as sess:
        devs = sess.list_devices()
    assert [d.name for d in devs][:2] == [CPU % 0, CPU % 1]
    assert devs[0].device_type == "CPU" and devs[0].memory_limit_bytes == 268435456
    assert repr(devs[0]).startswith("_DeviceAttributes(%s, CPU, 268435456, " % (CPU % 0))


def test_tensorflow_module_alias_has_device_lib():
    from tensorflux.compat import tf_modules

    assert "tensorflow.python.client.device_lib" in tf_modules.MODULES
    assert "tensorflow.python.client.timeline" in tf_modules.MODULES


def test_fake_gpu_is_listed(fake_gpu):
    names = [d.name for d in device_lib.list_local_devices()]
    assert names == ["/device:CPU:0", "/device:GPU:0"]
    assert [d.name for d in device_lib.list_local_devices(
        tf.ConfigProto(device_count={"GPU": 0}))] == ["/device:CPU:0"]


# --- placement ---------------------------------------------------------------------------------
def test_device_count_makes_cpu_devices_and_ops_run_there():
    a = tf.placeholder(tf.float32, [2], name="a")
    with tf.device("/cpu:1"):
        b = tf.square(a, name="b")
    c = b + 1.0
    with tf.Session(config=_config(2)) as sess:
        assert sess.run(c, {a: [1.0, 2.0]}).tolist() == [2.0, 5.0]
        plan = _runner(sess).plan
    dev = {op.name: d for op, d in plan.devices.items()}
    assert dev["b"] == CPU % 1
    assert dev["add"] == CPU % 0
    assert plan.segments is not None and [d for d, _ in plan.segments] == [CPU % 1, CPU % 0]


def test_cpu_beyond_device_count_is_an_error_or_soft_placed():
    with tf.device("/cpu:3"):
        y = tf.constant(2.0) * 3.0
    with tf.Session(config=_config(2)) as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"was explicitly assigned to /device:CPU:3 but available "
                                 r"devices are \[ %s, %s \]" % (CPU % 0, CPU % 1)):
            sess.run(y)
    with tf.Session(config=_config(2, allow_soft_placement=True)) as sess:
        assert sess.run(y) == 6.0


def test_gpu_without_gpu_needs_soft_placement(monkeypatch):
    monkeypatch.setattr(backend_devices, "gpu_count", lambda: 0)
    with tf.device("/gpu:0"):
        y = tf.constant(2.0) * 3.0
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="was explicitly assigned to /device:GPU:0 but available "
                                 "devices are"):
            sess.run(y)
    with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as sess:
        assert sess.run(y) == 6.0
        assert set(_runner(sess).plan.devices.values()) == {CPU % 0}


def test_variables_and_their_ops_are_colocated():
    with tf.device("/cpu:1"):
        v = tf.Variable(1.0, name="v")
    with tf.device("/cpu:0"):
        a = tf.assign_add(v, 2.0)  # asks for CPU:0, but takes v by reference: goes to CPU:1
    with tf.Session(config=_config(2)) as sess:
        sess.run(v.initializer)
        dev = {op.name: d for op, d in _runner(sess).plan.devices.items()}
        assert dev["v/Assign"] == CPU % 1
        assert sess.run(a) == 3.0
        dev = {op.name: d for op, d in _runner(sess).plan.devices.items()}
    assert dev["AssignAdd"] == CPU % 1


def test_colocate_with_follows_the_target():
    with tf.device("/cpu:1"):
        x = tf.constant([1.0, 2.0], name="x")
    with tf.colocate_with(x):
        y = tf.square(x, name="y")
    z = tf.add(y, 1.0, name="z")
    with tf.Session(config=_config(2)) as sess:
        assert sess.run(z).tolist() == [2.0, 5.0]
        dev = {op.name: d for op, d in _runner(sess).plan.devices.items()}
    assert dev["y"] == CPU % 1 and dev["z"] == CPU % 0


def test_optimizer_updates_stay_with_their_variables():
    with tf.device("/cpu:1"):
        w = tf.Variable(np.ones((3, 2), np.float32), name="w")
    x = tf.placeholder(tf.float32, [None, 3])
    loss = tf.reduce_sum(tf.matmul(x, w))
    train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
    with tf.Session(config=_config(2)) as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train, {x: np.ones((1, 3), np.float32)})
        dev = {op.name: d for op, d in _runner(sess).plan.devices.items()}
        np.testing.assert_allclose(sess.run(w), np.full((3, 2), 0.9), rtol=1e-6)
    assert dev["Momentum/update_w/ApplyMomentum"] == CPU % 1
    assert dev["MatMul"] == CPU % 0


def test_constants_go_where_their_consumers_are():
    x = tf.placeholder(tf.float32, [])
    with tf.device("/cpu:1"):
        y = x * 2.0  # the constant 2.0 (mul/y) is created inside the scope
    c = tf.constant(5.0, name="c")  # no device: goes to its consumer's
    with tf.device("/cpu:1"):
        z = y + c
    cfg = _config(2, graph_options=tf.GraphOptions(
        optimizer_options=tf.OptimizerOptions(do_constant_folding=False)))
    with tf.Session(config=cfg) as sess:
        assert sess.run(z, {x: 1.0}) == 7.0
        dev = {op.name: d for op, d in _runner(sess).plan.devices.items()}
    assert dev["c"] == CPU % 1


def test_log_device_placement_prints_tf_lines(capsys):
    with tf.device("/cpu:1"):
        v = tf.Variable(3.0, name="v")
        y = tf.multiply(v, 2.0, name="y")
    with tf.Session(config=_config(2, log_device_placement=True)) as sess:
        sess.run(v.initializer)
        sess.run(y)
        sess.run(y)  # each op is logged once per session
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert "v/Assign: (Assign): %s" % (CPU % 1) in lines
    assert "y: (Mul): %s" % (CPU % 1) in lines
    assert "v: (VariableV2): %s" % (CPU % 1) in lines
    assert lines.count("y: (Mul): %s" % (CPU % 1)) == 1
    # constants (TF's "generator" nodes) come after the other ops of a plan
    assert lines.index("y/y: (Const): %s" % (CPU % 1)) > lines.index("y: (Mul): %s" % (CPU % 1))
    assert "placer.cc" in out.err and "y: (Mul): %s" % (CPU % 1) in out.err


def test_fetching_a_variable_from_a_partitioned_plan():
    with tf.device("/cpu:1"):
        v = tf.Variable(1.0, name="v")
    inc = tf.assign_add(v, 1.0)
    with tf.device("/cpu:0"):
        w = tf.identity(inc) * 10.0
    with tf.Session(config=_config(2)) as sess:
        sess.run(v.initializer)
        assert sess.run([w, v._variable, v]) == [20.0, 2.0, 2.0]


def test_gpu_ops_run_through_xla(fake_gpu):
    from tensorflux.backends.xla import compiler

    x = tf.placeholder(tf.float32, [2, 2], name="x")
    with tf.device("/cpu:0"):
        w = tf.Variable(np.eye(2, dtype=np.float32) * 2, name="w")
    with tf.device("/gpu:0"):
        y = tf.nn.relu(tf.matmul(x, w), name="y")
    z = y - 1.0  # no device: TF's default, the GPU
    where = tf.where(z > 0)  # no device and no GPU (XLA) kernel: the CPU
    with tf.Session() as sess:
        sess.run(w.initializer)
        out, idx = sess.run([z, where], {x: [[1.0, -1.0], [2.0, 3.0]]})
        plan = _runner(sess).plan
        call = _runner(sess).call
    np.testing.assert_allclose(out, [[1.0, -1.0], [3.0, 5.0]])
    assert idx.tolist() == [[0, 0], [1, 0], [1, 1]]
    assert plan.devices[z.op] == GPU % 0 and plan.devices[where.op] == CPU % 0
    assert [d for d, _ in plan.segments] == [CPU % 0, GPU % 0, CPU % 0]
    kinds = [type(step[3]).__name__ for step in call.steps]
    assert kinds[1] == compiler.PlanRunner.__name__
    assert call.steps[1][3].mode == "xla"  # the GPU segment really ran as an XLA program
    assert call.steps[0][2] == "numpy" and call.steps[2][2] == "numpy"


def test_xla_backend_defaults_to_the_gpu(fake_gpu):
    cfg = tf.ConfigProto(graph_options=tf.GraphOptions(optimizer_options=tf.OptimizerOptions(
        global_jit_level=tf.OptimizerOptions.ON_1)))
    x = tf.placeholder(tf.float32, [3])
    y = tf.square(x) + 1.0
    with tf.Session(config=cfg) as sess:
        assert sess.run(y, {x: [1.0, 2.0, 3.0]}).tolist() == [2.0, 5.0, 10.0]
        assert set(_runner(sess).plan.devices.values()) == {GPU % 0}


def test_place_without_config_uses_cpu0():
    x = tf.constant(1.0) + 2.0
    ops = plan_lib.prune([x], [], ())
    assert set(plan_lib.place(ops, None).values()) == {CPU % 0}


def test_cpu_ops_reading_a_gpu_variable_directly(fake_gpu):
    with tf.device("/gpu:0"):
        v = tf.Variable([1.0, 2.0], name="v")
        step = tf.assign_add(v, [1.0, 1.0])
    with tf.device("/cpu:0"):
        total = tf.reduce_sum(v._variable, name="total")  # no read op: the variable itself
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(step)
        assert sess.run(total) == 5.0


def test_gpu_plans_compile_at_their_first_run(fake_gpu, monkeypatch):
    monkeypatch.delenv("TENSORFLUX_XLA_MIN_RUNS")  # the CPU default: 3 numpy runs first
    x = tf.placeholder(tf.float32, [2])
    with tf.device("/gpu:0"):
        y = tf.square(x)
    with tf.Session() as sess:
        assert sess.run(y, {x: [1.0, 3.0]}).tolist() == [1.0, 9.0]
        call = _runner(sess).call
    runner = call if hasattr(call, "mode") else call.steps[0][3]
    assert runner.mode == "xla" and runner.min_runs == 0


# --- tf.config ---------------------------------------------------------------------------------
def test_config_lists_physical_devices(monkeypatch):
    monkeypatch.setattr(backend_devices, "gpu_count", lambda: 2)
    cpu = tf.config.experimental.list_physical_devices("CPU")
    assert cpu == [tf.config.PhysicalDevice("/physical_device:CPU:0", "CPU")]
    assert [d.name for d in tf.config.list_physical_devices("GPU")] == [
        "/physical_device:GPU:0", "/physical_device:GPU:1"]
    assert len(tf.config.list_physical_devices()) == 3
    assert tf.config.list_physical_devices("TPU") == []
    assert [d.name for d in tf.config.list_logical_devices("GPU")][0] == "/device:GPU:0"
    monkeypatch.setattr(backend_devices, "gpu_count", lambda: 0)
    assert tf.config.experimental.list_physical_devices("GPU") == []


def test_memory_growth_only_for_gpus(monkeypatch):
    monkeypatch.delenv("XLA_PYTHON_CLIENT_PREALLOCATE", raising=False)
    gpu = tf.config.PhysicalDevice("/physical_device:GPU:0", "GPU")
    tf.config.experimental.set_memory_growth(gpu, True)
    assert tf.config.experimental.get_memory_growth(gpu) is True
    import os

    assert os.environ["XLA_PYTHON_CLIENT_PREALLOCATE"] == "false"
    tf.config.experimental.set_memory_growth(gpu, False)
    assert "XLA_PYTHON_CLIENT_PREALLOCATE" not in os.environ
    with pytest.raises(ValueError, match="non-GPU"):
        tf.config.experimental.set_memory_growth(
            tf.config.list_physical_devices("CPU")[0], True)


def test_tf32_switch_sets_the_gpu_matmul_precision(fake_gpu, monkeypatch):
    import jax

    from tensorflux.backends.xla import compiler

    seen = []
    real = compiler.PlanRunner._call

    def spy(self, *args):
        seen.append(jax.config.jax_default_matmul_precision)
        return real(self, *args)

    monkeypatch.setattr(compiler.PlanRunner, "_call", spy)
    a = tf.placeholder(tf.float32, [4, 4])
    with tf.device("/gpu:0"):
        y = tf.matmul(a, a)
    value = np.arange(16, dtype=np.float32).reshape(4, 4)
    before = tf.config.experimental.tensor_float_32_execution_enabled()
    tf.config.experimental.enable_tensor_float_32_execution(True)
    try:
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run(y, {a: value}), value @ value)
            tf.config.experimental.enable_tensor_float_32_execution(False)
            assert not tf.config.experimental.tensor_float_32_execution_enabled()
            np.testing.assert_allclose(sess.run(y, {a: value}), value @ value)
    finally:
        tf.config.experimental.enable_tensor_float_32_execution(before)
    assert seen == ["tensorfloat32", "highest"]


def test_tf32_default_follows_nvidia_override():
    import subprocess
    import sys

    code = ("import tensorflux as tf; "
            "print(tf.config.experimental.tensor_float_32_execution_enabled())")
    for value, want in (("0", "False"), ("1", "True"), (None, "True")):
        env = {k: v for k, v in __import__("os").environ.items() if k != "NVIDIA_TF32_OVERRIDE"}
        if value is not None:
            env["NVIDIA_TF32_OVERRIDE"] = value
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True).stdout.strip()
        assert out == want, (value, out)


def test_gpu_options_reach_the_gpu_allocator_before_it_starts():
    import subprocess
    import sys

    code = ("import os, tensorflux as tf\n"
            "c = tf.ConfigProto()\n"
            "c.gpu_options.allow_growth = True\n"
            "c.gpu_options.per_process_gpu_memory_fraction = 0.5\n"
            "tf.Session(config=c)\n"
            "print(os.environ.get('XLA_PYTHON_CLIENT_PREALLOCATE'), "
            "os.environ.get('XLA_PYTHON_CLIENT_MEM_FRACTION'))")
    env = {k: v for k, v in __import__("os").environ.items()
           if not k.startswith("XLA_PYTHON_CLIENT")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["false", "0.5"]
