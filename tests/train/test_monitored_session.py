"""MonitoredSession, MonitoredTrainingSession, Scaffold and the basic SessionRunHooks (TF 1.15
semantics: hook call order, merged fetches and feeds, stop requests, checkpoints, summaries)."""

import glob
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.train import basic_session_run_hooks as hooks_lib


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    tf.summary.FileWriterCache.clear()
    yield
    tf.summary.FileWriterCache.clear()
    tf.reset_default_graph()


def _model():
    """A one-weight regression with a global step and a loss summary."""
    x = tf.placeholder(tf.float32, [None], name="x")
    w = tf.get_variable("w", [], initializer=tf.zeros_initializer())
    loss = tf.reduce_mean(tf.square(w * x - 2.0 * x), name="mse")
    tf.summary.scalar("loss", loss)
    gs = tf.train.get_or_create_global_step()
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=gs)
    return x, w, loss, gs, train


class RecordingHook(tf.train.SessionRunHook):
    def __init__(self, fetch=None, feed=None, stop_after=None):
        self.calls = []
        self.fetch, self.feed, self.stop_after = fetch, feed, stop_after
        self.results = []

    def begin(self):
        self.calls.append("begin")
        self.finalized_at_begin = tf.get_default_graph().finalized

    def after_create_session(self, session, coord):
        self.calls.append("after_create_session")
        assert isinstance(session, tf.Session) and not coord.should_stop()

    def before_run(self, run_context):
        self.calls.append("before_run")
        assert isinstance(run_context.original_args, tf.train.SessionRunArgs)
        if self.fetch is None and self.feed is None:
            return None
        return tf.train.SessionRunArgs(self.fetch, feed_dict=self.feed)

    def after_run(self, run_context, run_values):
        self.calls.append("after_run")
        self.results.append(run_values.results)
        if self.stop_after is not None and len(self.results) >= self.stop_after:
            run_context.request_stop()

    def end(self, session):
        self.calls.append("end")


def test_hook_protocol_order_fetches_and_stop():
    x, w, loss, gs, train = _model()
    hook = RecordingHook(fetch={"w": w, "loss": loss}, stop_after=3)
    with tf.train.MonitoredSession(hooks=[hook]) as sess:
        assert tf.get_default_graph().finalized
        steps = 0
        while not sess.should_stop():
            out = sess.run([train, loss], {x: np.ones(3)})
            steps += 1
        assert out[0] is None and isinstance(out[1], np.floating)
    assert steps == 3 and not hook.finalized_at_begin
    assert hook.calls == ["begin", "after_create_session"] + [
        "before_run", "after_run"] * 3 + ["end"]
    assert set(hook.results[0]) == {"w", "loss"}
    assert not tf.get_default_graph().finalized  # unfinalized again on close
    with pytest.raises(RuntimeError, match="Session is already closed"):
        sess.run(loss, {x: np.ones(3)})


def test_hook_feeds_and_conflicts():
    x, w, loss, gs, train = _model()
    feeder = tf.train.FeedFnHook(lambda: {x: np.full(2, 3.0, np.float32)})
    with tf.train.MonitoredSession(hooks=[feeder]) as sess:
        assert sess.run(loss) == pytest.approx(36.0)
        with pytest.raises(RuntimeError, match="Same tensor is fed by a SessionRunHook and user"):
            sess.run(loss, {x: np.ones(2)})
    other = tf.train.FeedFnHook(lambda: {x: np.ones(2, np.float32)})
    feeder = tf.train.FeedFnHook(lambda: {x: np.ones(2, np.float32)})
    with tf.train.MonitoredSession(hooks=[feeder, other]) as sess:
        with pytest.raises(RuntimeError, match="Same tensor is fed by two hooks"):
            sess.run(loss)


def test_stop_at_step_hook_last_and_num_steps():
    x, w, loss, gs, train = _model()
    final = tf.train.FinalOpsHook(gs)
    with tf.train.MonitoredSession(hooks=[tf.train.StopAtStepHook(last_step=5), final]) as sess:
        n = 0
        while not sess.should_stop():
            sess.run(train, {x: np.ones(2)})
            n += 1
        with pytest.raises(RuntimeError, match="Run called even after should_stop requested"):
            sess.run(train, {x: np.ones(2)})
    assert n == 5 and final.final_ops_values == 5
    with pytest.raises(ValueError, match="One of num_steps or last_step"):
        tf.train.StopAtStepHook()
    with pytest.raises(ValueError, match="Only one of"):
        tf.train.StopAtStepHook(num_steps=1, last_step=2)


def test_stop_at_step_needs_global_step():
    tf.placeholder(tf.float32)
    with pytest.raises(RuntimeError, match="Global step should be created to use StopAtStepHook"):
        tf.train.MonitoredSession(hooks=[tf.train.StopAtStepHook(num_steps=1)])


def test_training_session_checkpoints_restore_and_summaries(tmp_path):
    ckpt = str(tmp_path / "model")
    x, w, loss, gs, train = _model()
    final = tf.train.FinalOpsHook(w)
    with tf.train.MonitoredTrainingSession(
            checkpoint_dir=ckpt, save_checkpoint_steps=4, save_summaries_steps=3,
            hooks=[tf.train.StopAtStepHook(num_steps=10), final]) as sess:
        while not sess.should_stop():
            sess.run(train, {x: np.ones(4)})
    w_value = final.final_ops_values
    steps = sorted(int(p.split("-")[-1].split(".")[0])
                   for p in glob.glob(os.path.join(ckpt, "model.ckpt-*.index")))
    assert steps == [0, 4, 8, 10]
    assert tf.train.latest_checkpoint(ckpt).endswith("model.ckpt-10")
    [events_path] = glob.glob(os.path.join(ckpt, "events.out.tfevents.*"))
    events = list(tf.train.summary_iterator(events_path))
    loss_steps = [e.step for e in events if e.HasField("summary")
                  for v in e.summary.value if v.tag == "loss"]
    assert loss_steps == [1, 4, 7, 10]
    assert any(e.HasField("graph_def") for e in events)
    assert any(e.HasField("session_log") and e.session_log.status == tf.SessionLog.CHECKPOINT
               for e in events)
    assert any(e.HasField("session_log") and e.session_log.status == tf.SessionLog.START
               for e in events)

    # A new graph and session continue from the checkpoint.
    tf.reset_default_graph()
    tf.summary.FileWriterCache.clear()
    x, w, loss, gs, train = _model()
    final = tf.train.FinalOpsHook(gs)
    with tf.train.MonitoredTrainingSession(
            checkpoint_dir=ckpt, save_checkpoint_secs=None, save_summaries_steps=None,
            hooks=[tf.train.StopAtStepHook(num_steps=2), final]) as sess:
        assert sess.run(gs) == 10
        assert sess.run(w) == pytest.approx(w_value)
        while not sess.should_stop():
            sess.run(train, {x: np.ones(4)})
    assert final.final_ops_values == 12


def test_step_counter_hook_writes_steps_per_sec(tmp_path):
    x, w, loss, gs, train = _model()
    hook = tf.train.StepCounterHook(every_n_steps=2, output_dir=str(tmp_path))
    with tf.train.MonitoredSession(hooks=[hook, tf.train.StopAtStepHook(last_step=7)]) as sess:
        while not sess.should_stop():
            sess.run(train, {x: np.ones(2)})
    tf.summary.FileWriterCache.clear()
    [path] = glob.glob(str(tmp_path / "events.*"))
    values = [(e.step, v.tag) for e in tf.train.summary_iterator(path) if e.HasField("summary")
              for v in e.summary.value]
    assert values and all(tag == "global_step/sec" for _, tag in values)
    assert [s for s, _ in values] == [3, 5, 7]


def test_logging_tensor_hook(monkeypatch):
    lines = []
    monkeypatch.setattr(hooks_lib.logging, "info", lambda msg, *args: lines.append(msg % args))
    x, w, loss, gs, train = _model()
    hook = tf.train.LoggingTensorHook({"loss": loss, "step": gs}, every_n_iter=2)
    at_end = tf.train.LoggingTensorHook({"w": w}, at_end=True)
    fmt = tf.train.LoggingTensorHook(["mse"], every_n_iter=1,
                                     formatter=lambda v: "custom %.1f" % v["mse"])
    with tf.train.MonitoredSession(hooks=[hook, at_end, fmt]) as sess:
        for _ in range(3):
            sess.run(train, {x: np.ones(2)})
    logged = [m for m in lines if m.startswith("loss = ")]
    assert len(logged) == 2  # iterations 0 and 2
    assert ", step = " in logged[0] and logged[1].endswith("sec)")
    assert sum(m.startswith("custom ") for m in lines) == 3
    assert sum(m.startswith("w = ") for m in lines) == 1
    with pytest.raises(ValueError, match="exactly one of every_n_iter and every_n_secs"):
        tf.train.LoggingTensorHook([loss])


def test_logging_tensor_hook_names_resolve():
    x, w, loss, gs, train = _model()
    hook = tf.train.LoggingTensorHook(["mse", "w:0"], every_n_iter=1)
    with tf.train.MonitoredSession(hooks=[hook]) as sess:
        sess.run(loss, {x: np.ones(2)})


def test_nan_tensor_hook():
    x = tf.placeholder(tf.float32, [])
    gs = tf.train.get_or_create_global_step()
    loss = tf.sqrt(x)
    with pytest.raises(tf.train.NanLossDuringTrainingError, match="NaN loss during training"):
        with tf.train.MonitoredSession(hooks=[tf.train.NanTensorHook(loss)]) as sess:
            sess.run(gs, {x: -1.0})
    with tf.train.MonitoredSession(hooks=[tf.train.NanTensorHook(loss, False)]) as sess:
        sess.run(gs, {x: 4.0})
        assert not sess.should_stop()
        sess.run(gs, {x: -1.0})
        assert sess.should_stop()


def test_final_ops_hook_and_out_of_range_is_quiet():
    x, w, loss, gs, train = _model()
    final = tf.train.FinalOpsHook({"w": w, "twice": 2 * w})
    with tf.train.MonitoredSession(hooks=[final]) as sess:
        sess.run(train, {x: np.ones(2)})
        raise tf.errors.OutOfRangeError(None, None, "End of sequence")
    assert final.final_ops_values["twice"] == pytest.approx(2 * final.final_ops_values["w"])


def test_exception_skips_end_and_propagates():
    x, w, loss, gs, train = _model()
    hook = RecordingHook()
    with pytest.raises(ZeroDivisionError):
        with tf.train.MonitoredSession(hooks=[hook]):
            1 / 0  # noqa: B018
    assert "end" not in hook.calls and not tf.get_default_graph().finalized


def test_singular_monitored_session_scaffold_init_fn():
    x, w, loss, gs, train = _model()
    seen = []
    # The graph is finalized when init_fn runs, so it may only run existing ops.
    assign = tf.assign(w, 5.0)
    scaffold = tf.train.Scaffold(init_fn=lambda scaffold, sess: (seen.append(scaffold),
                                                                sess.run(assign)))
    with tf.train.SingularMonitoredSession(scaffold=scaffold) as sess:
        assert sess.run(w) == 5.0
        assert isinstance(sess.raw_session(), tf.Session)
        assert scaffold.saver is not None and scaffold.init_op is not None
        assert scaffold.summary_op is not None
    assert seen == [scaffold]


def test_chief_session_creator_checkpoint_file(tmp_path):
    x, w, loss, gs, train = _model()
    saver = tf.train.Saver()
    assign = tf.assign(w, 3.0)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(assign)
        path = saver.save(s, str(tmp_path / "m"))
    creator = tf.train.ChiefSessionCreator(checkpoint_filename_with_path=path)
    with tf.train.MonitoredSession(session_creator=creator) as sess:
        assert sess.run(w) == 3.0


def test_run_step_fn():
    x, w, loss, gs, train = _model()
    hook = RecordingHook()

    def step(ctx):
        value = ctx.run_with_hooks(loss, {x: np.ones(2)})
        ctx.session.run(train, {x: np.ones(2)})  # raw session: no hooks
        if value < 100:
            ctx.request_stop()
        return value

    with tf.train.MonitoredSession(hooks=[hook]) as sess:
        assert sess.run_step_fn(step) is None
        assert sess.should_stop()
    assert hook.calls.count("before_run") == 1


def test_recovers_from_aborted_error():
    x, w, loss, gs, train = _model()
    flaky = {"left": 1}

    class Flaky(tf.train.SessionRunHook):
        def before_run(self, run_context):
            if flaky["left"]:
                flaky["left"] -= 1
                raise tf.errors.AbortedError(None, None, "preempted")

    creations = []

    class Counter(tf.train.SessionRunHook):
        def after_create_session(self, session, coord):
            creations.append(session)

    with tf.train.MonitoredSession(hooks=[Flaky(), Counter()]) as sess:
        assert sess.run(loss, {x: np.ones(2)}) == pytest.approx(4.0)
    assert len(creations) == 2


def test_summary_saver_hook_needs_one_source(tmp_path):
    with pytest.raises(ValueError, match="Exactly one of scaffold or summary_op"):
        tf.train.SummarySaverHook(save_steps=1, output_dir=str(tmp_path))


def test_checkpoint_saver_hook_listener_can_stop(tmp_path):
    x, w, loss, gs, train = _model()

    class Listener(tf.train.CheckpointSaverListener):
        def __init__(self):
            self.saved = []

        def after_save(self, session, step):
            self.saved.append(step)
            return step >= 4

    listener = Listener()
    hook = tf.train.CheckpointSaverHook(str(tmp_path), save_steps=2, listeners=[listener])
    final = tf.train.FinalOpsHook(gs)
    with tf.train.MonitoredSession(hooks=[hook, final]) as sess:
        while not sess.should_stop():
            sess.run(train, {x: np.ones(2)})
    assert final.final_ops_values == 4
    assert listener.saved == [0, 2, 4]
    with pytest.raises(ValueError, match="Either every_secs or every_steps"):
        tf.train.CheckpointSaverHook(str(tmp_path))


def test_second_or_step_timer():
    t = tf.train.SecondOrStepTimer(every_steps=3)
    assert t.should_trigger_for_step(0)
    assert t.update_last_triggered_step(0) == (None, None)
    assert not t.should_trigger_for_step(0) and not t.should_trigger_for_step(2)
    assert t.should_trigger_for_step(3)
    secs, steps = t.update_last_triggered_step(5)
    assert steps == 5 and secs >= 0 and t.last_triggered_step() == 5
    with pytest.raises(ValueError, match="Can not provide both"):
        tf.train.SecondOrStepTimer(every_secs=1, every_steps=1)


def test_training_session_non_chief_and_defaults(tmp_path):
    x, w, loss, gs, train = _model()
    sess = tf.train.MonitoredTrainingSession(checkpoint_dir=str(tmp_path))
    kinds = sorted(type(h).__name__ for h in sess._hooks)
    assert kinds == ["CheckpointSaverHook", "StepCounterHook", "SummarySaverHook"]
    sess.close()
    tf.reset_default_graph()
    tf.placeholder(tf.float32)
    tf.train.get_or_create_global_step()
    # A worker's variables are never initialized by a chief in-process: it times out.
    with pytest.raises(tf.errors.DeadlineExceededError):
        tf.train.MonitoredTrainingSession(is_chief=False, max_wait_secs=0)


def test_coordinator():
    coord = tf.train.Coordinator()
    assert not coord.should_stop()
    with coord.stop_on_exception():
        raise ValueError("boom")
    assert coord.should_stop()
    with pytest.raises(ValueError, match="boom"):
        coord.join([])
    with tf.Graph().as_default(), tf.Session():  # no queue runners: no threads
        assert tf.train.start_queue_runners(coord=coord) == []
    clean = tf.train.Coordinator()
    clean.request_stop(tf.errors.OutOfRangeError(None, None, "done"))
    clean.join()
