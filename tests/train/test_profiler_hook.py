"""tf.train.ProfilerHook: traced steps every N steps, written as timeline-<step>.json."""

import json
import os
import time

import pytest

import tensorflux as tf


def _train(hook, steps, pause=0.0):
    step = tf.train.get_or_create_global_step()
    x = tf.Variable(1.0)
    train = tf.group(tf.assign_add(x, 1.0), tf.assign_add(step, 1))
    with tf.train.MonitoredSession(hooks=[hook]) as sess:
        for _ in range(steps):
            sess.run(train)
            time.sleep(pause)


def test_writes_timelines_every_n_steps(tmp_path):
    with tf.Graph().as_default():
        hook = tf.train.ProfilerHook(save_steps=3, output_dir=str(tmp_path))
        _train(hook, 10)
    files = sorted(f for f in os.listdir(tmp_path) if f.startswith("timeline-"))
    # (the first run only starts the timer; run 3 is the first traced, as in TF)
    assert files == ["timeline-3.json", "timeline-6.json", "timeline-9.json"]
    with open(tmp_path / files[0]) as f:
        trace = json.load(f)
    names = {e.get("args", {}).get("name") for e in trace["traceEvents"]}
    assert any(n and "AssignAdd" in n for n in names)


def test_save_secs(tmp_path):
    with tf.Graph().as_default():
        hook = tf.train.ProfilerHook(save_secs=0.01, output_dir=str(tmp_path))
        _train(hook, 3, pause=0.02)
    files = sorted(f for f in os.listdir(tmp_path) if f.startswith("timeline-"))
    assert files == ["timeline-2.json", "timeline-3.json"]


def test_needs_exactly_one_trigger_and_a_global_step(tmp_path):
    with pytest.raises(ValueError):
        tf.train.ProfilerHook(output_dir=str(tmp_path))
    with pytest.raises(ValueError):
        tf.train.ProfilerHook(save_steps=1, save_secs=1, output_dir=str(tmp_path))
    with tf.Graph().as_default():
        hook = tf.train.ProfilerHook(save_steps=1, output_dir=str(tmp_path))
        with pytest.raises(RuntimeError, match="Global step should be created"):
            hook.begin()


def test_untraced_runs_have_no_options(tmp_path):
    seen = []

    class Spy(tf.train.SessionRunHook):
        def after_run(self, run_context, run_values):
            seen.append(run_values.options)

    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        inc = tf.assign_add(step, 1)
        hook = tf.train.ProfilerHook(save_steps=2, output_dir=str(tmp_path))
        with tf.train.MonitoredSession(hooks=[hook, Spy()]) as sess:
            for _ in range(4):
                sess.run(inc)
    traced = [o is not None and o.trace_level == tf.RunOptions.FULL_TRACE for o in seen]
    assert traced == [False, True, False, True]
