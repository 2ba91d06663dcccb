"""Session.run from several threads: a failing run rolls back only its own variable writes."""

import threading

import numpy as np
import pytest

import tensorflux as tf

TIMEOUT = 20.0


def _failing_run_that_waits(sess, wrote, resume, assign_ops, result):
    """Runs `assign_ops`, then a py_func that signals `wrote`, waits for `resume` and fails."""

    def pause_then_fail(x):
        wrote.set()
        assert resume.wait(TIMEOUT)
        raise ValueError("boom")

    with sess.graph.as_default(), tf.control_dependencies(assign_ops):
        fail = tf.py_func(pause_then_fail, [tf.constant(0.0)], tf.float32)

    def target():
        try:
            sess.run(fail)
        except tf.errors.OpError as e:
            result.append(e)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def graph_and_session():
    g = tf.Graph()
    with g.as_default():
        mine = tf.Variable(1.0, name="mine")
        theirs = tf.Variable(2.0, name="theirs")
        shared = tf.Variable(3.0, name="shared")
    sess = tf.Session(graph=g)
    with g.as_default():
        sess.run(tf.global_variables_initializer())
    yield g, sess, (mine, theirs, shared)
    sess.close()


def test_failing_run_keeps_other_threads_writes(graph_and_session):
    g, sess, (mine, theirs, shared) = graph_and_session
    with g.as_default():
        write_mine = tf.assign(mine, 10.0)
        write_shared_a = tf.assign(shared, 30.0)
        write_theirs = tf.assign(theirs, 20.0)
        write_shared_b = tf.assign(shared, 33.0)
    wrote, resume, result = threading.Event(), threading.Event(), []
    thread = _failing_run_that_waits(sess, wrote, resume, [write_mine, write_shared_a], result)
    assert wrote.wait(TIMEOUT)
    # While the failing run is paused, this thread writes (and the first run sees it).
    sess.run([write_theirs, write_shared_b])
    resume.set()
    thread.join(TIMEOUT)
    assert not thread.is_alive()
    assert len(result) == 1 and "boom" in str(result[0])
    # Its own write is undone; ours stay, including the one to a variable it also wrote.
    np.testing.assert_allclose(sess.run([mine, theirs, shared]), [1.0, 20.0, 33.0])


def test_failing_run_restores_its_writes_when_untouched(graph_and_session):
    g, sess, (mine, theirs, shared) = graph_and_session
    with g.as_default():
        writes = [tf.assign(mine, 10.0), tf.assign_add(shared, 1.0)]
    wrote, resume, result = threading.Event(), threading.Event(), []
    thread = _failing_run_that_waits(sess, wrote, resume, writes, result)
    assert wrote.wait(TIMEOUT)
    np.testing.assert_allclose(sess.run([mine, shared]), [10.0, 4.0])  # visible meanwhile
    resume.set()
    thread.join(TIMEOUT)
    assert not thread.is_alive() and len(result) == 1
    np.testing.assert_allclose(sess.run([mine, theirs, shared]), [1.0, 2.0, 3.0])


def test_concurrent_failing_runs_undo_only_their_own_writes():
    g = tf.Graph()
    with g.as_default():
        counter = tf.Variable(0, name="counter")
        bump = tf.assign_add(counter, 1)
        bad = tf.Variable(0.0, name="bad")
        with tf.control_dependencies([tf.assign_add(bad, 1.0)]):
            two = tf.placeholder_with_default(2, [])
            fail = tf.debugging.assert_equal(tf.constant(1), two)
    sess = tf.Session(graph=g)
    sess.run(tf.variables_initializer([counter, bad]))
    errors = []

    def work(k):
        for _ in range(50):
            if k % 2:
                try:
                    sess.run(fail)
                except tf.errors.InvalidArgumentError:
                    pass
                else:
                    errors.append("no error")
            else:
                sess.run(bump)

    threads = [threading.Thread(target=work, args=(k,), daemon=True) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
    assert not any(t.is_alive() for t in threads) and not errors
    # assign_add is not atomic across threads in TF either; every failing run undid its write.
    assert 1 <= sess.run(counter) <= 100
    assert sess.run(bad) == 0.0


def test_nested_run_inside_py_func_is_rolled_back_with_the_outer_run():
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable(1.0)
        inner = tf.assign(v, 5.0)
    sess = tf.Session(graph=g)
    sess.run(v.initializer)

    def inner_then_fail(x):
        sess.run(inner)
        raise ValueError("outer fails")

    with g.as_default():
        outer = tf.py_func(inner_then_fail, [tf.constant(0.0)], tf.float32)
    with pytest.raises(tf.errors.OpError, match="outer fails"):
        sess.run(outer)
    assert sess.run(v) == 1.0


def test_runs_log_their_writes_once_a_second_thread_runs(graph_and_session):
    # one thread: the cheaper snapshot per run; from the second thread on: write logs
    g, sess, (mine, _, _) = graph_and_session
    with g.as_default():
        bump = tf.assign_add(mine, 1.0)
    sess.run(bump)
    assert not sess._shared
    thread = threading.Thread(target=lambda: sess.run(bump), daemon=True)
    thread.start()
    thread.join(TIMEOUT)
    assert sess._shared
    sess.run(bump)
    np.testing.assert_allclose(sess.run(mine), 4.0)
