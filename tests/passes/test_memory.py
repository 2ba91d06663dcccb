"""Memory planning (passes/memory.py): plans before and after, and the interpreter using them."""

import numpy as np

import tensorflux as tf
from tensorflux.backends.numpy import interpreter
from tensorflux.client import plan as plan_lib
from tensorflux.passes import memory, pipeline, transfers


def _plan(fetches, feeds=()):
    ops = plan_lib.prune(list(fetches), [], tuple(feeds))
    return plan_lib.Plan(ops, tuple(feeds), list(fetches), [])


def _names(tensors):
    return sorted(t.name for t in tensors)


def _op(plan, name):
    return next(op for op in plan.ops if op.name == name)


def test_a_chain_releases_each_value_after_its_reader_and_may_overwrite_it():
    x = tf.placeholder(tf.float32, [4], name="x")
    a = tf.nn.relu(x, name="a")
    b = tf.sigmoid(a, name="b")
    c = tf.tanh(b, name="c")
    before = _plan([c], [x])
    after = memory.plan_memory(before)
    assert before.frees is None and before.reusable is None
    assert _names(after.frees[_op(after, "a")]) == ["x:0"]  # a feed is released, not reused
    assert _names(after.frees[_op(after, "b")]) == ["a:0"]
    assert _names(after.frees[_op(after, "c")]) == ["b:0"]
    assert "a" not in {op.name for op in after.reusable}
    assert after.reusable[_op(after, "b")] == (0,)
    assert after.reusable[_op(after, "c")] == (0,)


def test_fetched_values_are_kept_and_never_overwritten():
    x = tf.placeholder(tf.float32, [4], name="x")
    a = tf.exp(x, name="a")
    b = tf.sin(a, name="b")
    after = memory.plan_memory(_plan([a, b], [x]))
    assert not any(a in ts for ts in after.frees.values())
    assert _op(after, "b") not in after.reusable


def test_the_last_of_several_readers_releases_a_value():
    x = tf.placeholder(tf.float32, [4], name="x")
    a = tf.exp(x, name="a")
    b = tf.sin(a, name="b")
    c = tf.cos(a, name="c")
    d = tf.add(b, c, name="d")
    e = tf.multiply(a, a, name="e")  # the same value twice: never overwritten
    after = memory.plan_memory(_plan([d, e], [x]))
    last = next(op for op in after.ops if a in after.frees.get(op, ()))
    assert last.name == "e"
    assert _op(after, "e") not in after.reusable
    assert _op(after, "b") not in after.reusable  # c still reads a
    assert after.reusable[_op(after, "d")] == (0, 1)


def test_values_nobody_reads_die_at_their_own_op():
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    parts = tf.split(x, 3, axis=1, name="parts")
    y = tf.identity(parts[1], name="y")
    after = memory.plan_memory(_plan([y], [x]))
    split = _op(after, "parts")
    assert _names(after.frees[split]) == ["parts/split_dim:0", "parts:0", "parts:2", "x:0"]


def test_variables_constants_and_stateful_ops_are_left_alone():
    v = tf.Variable(np.ones(4, np.float32), name="v")
    k = tf.constant(np.arange(4, dtype=np.float32), name="k")
    s = tf.add(v, k, name="s")
    t = tf.exp(s, name="t")
    assign = tf.assign(v, t, name="assign")
    plan = pipeline.run(_plan([assign]), None)
    for ts in plan.frees.values():
        for t_ in ts:
            assert t_.op.type != "VariableV2" and t_ not in plan.constants
    assert _op(plan, "assign") not in plan.reusable  # stateful
    assert _op(plan, "t") in plan.reusable  # t's input s dies there


def test_helper_thread_ops_are_never_given_an_input_to_overwrite():
    x = tf.placeholder(tf.float32, [4], name="x")
    a = tf.exp(x, name="a")
    b = tf.sin(a, name="b")
    plan = _plan([b], [x])
    plan = plan.replace(concurrent=frozenset([_op(plan, "b")]))
    assert _op(plan, "b") not in memory.plan_memory(plan).reusable


def test_the_pipeline_plans_memory_last_and_replace_forgets_it():
    x = tf.placeholder(tf.float32, [4], name="x")
    y = tf.sigmoid(tf.nn.relu(x))
    plan = pipeline.run(_plan([y], [x]), None)
    assert pipeline.PASSES[-1] is memory.plan_memory
    assert plan.frees is not None and plan.reusable is not None
    changed = plan.replace(fetches=(x,))
    assert changed.frees is None and changed.reusable is None
    assert "may overwrite input 0" in repr(plan)


def test_each_segment_of_a_partitioned_plan_is_planned():
    config = tf.ConfigProto(device_count={"CPU": 2})
    x = tf.placeholder(tf.float32, [3], name="x")
    with tf.device("/cpu:0"):
        a = tf.exp(x, name="a")
    with tf.device("/cpu:1"):
        b = tf.sin(a, name="b")
        c = tf.cos(b, name="c")
    ops = plan_lib.prune([c], [], (x,))
    placed = plan_lib.Plan(ops, (x,), [c], [], devices=plan_lib.place(ops, config))
    after = memory.plan_memory(transfers.partition(placed))
    assert len(after.segments) == 2
    for _, sub in after.segments:
        assert sub.frees is not None
    second = after.segments[1][1]
    assert _names(second.frees[_op(second, "c")]) == ["b:0"]


def test_the_interpreter_plans_a_plan_that_skipped_the_pipeline():
    x = tf.placeholder(tf.float32, [4], name="x")
    y = tf.tanh(tf.sigmoid(tf.nn.relu(x)))
    run = interpreter.compile(_plan([y], [x]))  # frees is None: planned on the way in
    got = run([np.array([-1, 0, 1, 2], np.float32)], interpreter.RunContext())
    np.testing.assert_allclose(got[0], np.tanh(1 / (1 + np.exp(-np.maximum([-1, 0, 1, 2], 0)))),
                               rtol=1e-6)


def test_results_are_the_same_with_and_without_reuse():
    rng = np.random.default_rng(0)
    x = tf.placeholder(tf.float32, [64, 64], name="x")
    h = x
    for _ in range(4):
        h = tf.nn.relu(tf.matmul(h, tf.constant(rng.standard_normal((64, 64), np.float32))))
    y = tf.reduce_sum(h * 0.5 + h)
    feed = rng.standard_normal((64, 64)).astype(np.float32)
    planned = pipeline.run(_plan([y, h], [x]), None)
    bare = planned.replace(frees={}, reusable={})  # nothing released, nothing overwritten
    ctx = interpreter.RunContext()
    a = interpreter.compile(planned)([feed], ctx)
    b = interpreter.compile(bare)([feed], ctx)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
