"""tf.train.Supervisor, LooperThread, basic_train_loop and checkpoints_iterator, against what
real TensorFlow does (tests/fixtures/supervisor, written by tools/fixtures/gen_supervisor.py):
the files a managed session leaves in logdir, its events, what a second run restores, how
exceptions leave the block, and that every thread stops."""

import json
import os
import threading
import time

import pytest

import tensorflux as tf

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "supervisor",
                       "supervisor.json")
with open(FIXTURE) as _f:
    TF = json.load(_f)

_STATUS = {1: "START", 2: "STOP", 3: "CHECKPOINT"}


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


@pytest.fixture
def no_leaked_threads():
    """Fails a test that leaves any thread it started running."""
    before = set(threading.enumerate())
    yield
    deadline = time.time() + 2.0
    while set(threading.enumerate()) - before and time.time() < deadline:
        time.sleep(0.01)
    assert set(threading.enumerate()) - before == set()


def tiny_model():
    """w starts at 1.0; each train step multiplies it by 0.9 (as in the fixture generator)."""
    step = tf.train.get_or_create_global_step()
    w = tf.Variable(1.0, name="w")
    loss = 0.5 * tf.square(w)
    tf.summary.scalar("loss", loss)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
    return step, w, train


def list_dir(logdir):
    names = ["events.out.tfevents" if n.startswith("events.out.tfevents") else n
             for n in os.listdir(logdir)]
    return sorted(names)


def event_kinds(logdir):
    """Per event file: its events as in the fixture (sorted: the services race each other)."""
    files = sorted(n for n in os.listdir(logdir) if n.startswith("events.out.tfevents"))
    out = []
    for name in files:
        kinds = []
        for e in tf.train.summary_iterator(os.path.join(logdir, name)):
            what = e.WhichOneof("what")
            if what == "session_log":
                path = os.path.basename(e.session_log.checkpoint_path)
                kinds.append(["session_log", _STATUS[e.session_log.status], path, e.step])
            elif what == "summary":
                kinds.append(["summary", sorted(v.tag for v in e.summary.value), e.step])
            elif what != "file_version":
                kinds.append([what, e.step])
        out.append(sorted(kinds, key=repr))
    return out


def checkpoint_state(logdir):
    state = tf.train.get_checkpoint_state(logdir)
    return [os.path.basename(state.model_checkpoint_path),
            [os.path.basename(p) for p in state.all_model_checkpoint_paths]]


def _sorted_events(events):
    return [sorted(kinds, key=repr) for kinds in events]


# --- the constructor ----------------------------------------------------------------------------
def test_constructor_defaults_and_collections_match_tf(tmp_path):
    want = TF["constructor"]
    g = tf.get_default_graph()
    tiny_model()
    sv = tf.train.Supervisor(logdir=str(tmp_path), summary_writer=None)
    assert tf.train.Supervisor.USE_DEFAULT == want["use_default"]
    assert [sv.save_model_secs, sv.save_summaries_secs, sv.is_chief,
            os.path.basename(sv.save_path), sv.summary_writer is None] == want["defaults"]
    assert sv.global_step.name == want["global_step"]
    assert sv.summary_op.name == want["summary_op"]
    assert (sv.ready_for_local_init_op is None) == want["ready_for_local_init_op"]
    assert {k: len(g.get_collection(k)) for k in want["collections"]} == want["collections"]
    assert isinstance(sv.saver, tf.train.Saver)
    assert isinstance(sv.coord, tf.train.Coordinator)
    assert isinstance(sv.session_manager, tf.train.SessionManager)


def test_constructor_finalizes_the_graph():
    tiny_model()
    tf.train.Supervisor(logdir=None)
    assert tf.get_default_graph().finalized
    with pytest.raises(RuntimeError) as e:
        tf.constant(1.0)
    assert str(e.value) == TF["constructor"]["finalized_error"]


def test_explicit_none_turns_defaults_off():
    step, _, _ = tiny_model()
    sv = tf.train.Supervisor(logdir=None, saver=None, summary_op=None, global_step=None,
                             ready_op=None, init_op=None, local_init_op=None)
    assert [sv.saver, sv.summary_op, sv.global_step, sv.ready_op, sv.init_op] == [None] * 5
    assert tf.get_default_graph().get_collection("ready_op") == []


def test_graph_without_variables_has_no_saver_nor_global_step():
    tf.constant(1.0)
    sv = tf.train.Supervisor(logdir=None)
    assert [sv.saver is None, sv.global_step is None, sv.summary_op is None] == \
        TF["constructor"]["no_variables"]


def test_non_chief_matches_tf(tmp_path):
    want = TF["constructor"]
    tiny_model()
    with pytest.raises(ValueError) as e:
        tf.train.Supervisor(logdir=str(tmp_path), is_chief=False)
    assert str(e.value).startswith(want["non_chief_no_device"].split('"')[0])
    assert not tf.get_default_graph().finalized
    tf.reset_default_graph()
    with tf.device("/cpu:0"):
        tiny_model()
    sv = tf.train.Supervisor(logdir=str(tmp_path), is_chief=False)
    assert [sv.save_model_secs, sv.save_summaries_secs, sv.save_path,
            sv.summary_writer is None, sv.is_chief] == want["non_chief"]
    with pytest.raises(RuntimeError, match="^%s$" % want["non_chief_services"]):
        sv.start_standard_services(None)
    with pytest.raises(RuntimeError, match="^%s$" % want["no_writer"]):
        sv.summary_computed(None, b"")
    assert os.listdir(tmp_path) == []  # a non-chief writes nothing


# --- managed_session: training, checkpoints, restoring --------------------------------------------
def _train_twice(logdir, interval):
    """The fixture's two runs, with `interval` for the generator's 1 s checkpoint interval."""
    out = {}
    with tf.Graph().as_default() as g:
        step, w, train = tiny_model()
        sv = tf.train.Supervisor(logdir=logdir, save_model_secs=interval,
                                 save_summaries_secs=600)
        out["finalized"] = g.finalized
        with sv.managed_session() as sess:
            start = time.time()
            time.sleep(0.3 * interval)
            out["first_start"] = [int(sess.run(step)), float(sess.run(w))]
            for _ in range(5):
                sess.run(train)
            out["first_end"] = [int(sess.run(step)), float(sess.run(w))]
            time.sleep(max(0.0, start + 1.5 * interval - time.time()))
        out["first_should_stop"] = sv.should_stop()
    out["first_files"] = list_dir(logdir)
    out["first_state"] = checkpoint_state(logdir)
    out["first_events"] = event_kinds(logdir)
    time.sleep(max(0.0, 1.05 - (time.time() % 1.0)))  # event files are named by the second
    with tf.Graph().as_default():
        step, w, train = tiny_model()
        sv = tf.train.Supervisor(logdir=logdir, save_model_secs=600, save_summaries_secs=600)
        with sv.managed_session() as sess:
            time.sleep(0.3 * interval)
            out["second_start"] = [int(sess.run(step)), float(sess.run(w))]
            for _ in range(3):
                sess.run(train)
            out["second_end_step"] = int(sess.run(step))
    out["second_files"] = list_dir(logdir)
    out["second_state"] = checkpoint_state(logdir)
    out["second_events"] = event_kinds(logdir)
    return out


def test_train_restore_files_and_events_match_tf(tmp_path, no_leaked_threads):
    got = _train_twice(str(tmp_path), interval=0.5)
    want = TF["train"]
    for key in ["finalized", "first_should_stop", "first_files", "first_state",
                "second_files", "second_state"]:
        assert got[key] == want[key], key
    for key in ["first_start", "first_end", "second_start"]:
        assert got[key][0] == want[key][0], key
        assert got[key][1] == pytest.approx(want[key][1], rel=1e-6), key
    assert got["first_events"] == _sorted_events(want["first_events"])
    assert got["second_events"] == _sorted_events(want["second_events"])
    # As in TF, nothing is saved at exit: the second run's step 8 is in no checkpoint.
    assert got["second_end_step"] == 8
    assert not any("model.ckpt-8" in n for n in got["second_files"])


def test_graph_pbtxt_and_checkpoint_restore_into_plain_saver(tmp_path):
    step, w, train = tiny_model()
    sv = tf.train.Supervisor(logdir=str(tmp_path), save_model_secs=600, save_summaries_secs=0)
    with sv.managed_session() as sess:
        sess.run(train)
        sv.saver.save(sess, sv.save_path, global_step=sv.global_step)
    assert (tmp_path / "graph.pbtxt").read_text().startswith("node {")
    assert sorted(os.path.basename(p) for p in sv.saver.last_checkpoints) == \
        ["model.ckpt-0", "model.ckpt-1"]
    reader = tf.train.load_checkpoint(str(tmp_path / "model.ckpt-1"))
    assert reader.get_tensor("global_step") == 1
    assert reader.get_tensor("w") == pytest.approx(0.9)


def test_summaries_every_interval_and_summary_computed(tmp_path, no_leaked_threads):
    step, _, train = tiny_model()
    sv = tf.train.Supervisor(logdir=str(tmp_path), save_model_secs=0, save_summaries_secs=0.1)
    with sv.managed_session() as sess:
        sess.run(train)
        time.sleep(0.35)
        sv.summary_computed(sess, tf.Summary(value=[tf.Summary.Value(tag="mine",
                                                                     simple_value=3.0)]))
    events = event_kinds(str(tmp_path))[0]
    tags = [e[1][0] for e in events if e[0] == "summary"]
    assert tags.count("loss") >= 3 and tags.count("global_step/sec") >= 3
    assert ["summary", ["mine"], 1] in events
    assert not any(n.startswith("model.ckpt") for n in os.listdir(tmp_path))  # 0: no saver


def test_prepare_without_services_starts_no_thread(tmp_path, no_leaked_threads):
    tiny_model()
    sv = tf.train.Supervisor(logdir=str(tmp_path), save_model_secs=0.05)
    sess = sv.PrepareSession(start_standard_services=False)
    time.sleep(0.2)
    assert not any(n.startswith("model.ckpt") for n in os.listdir(tmp_path))
    sv.stop()
    sess.close()


def test_init_fn_and_init_feed_dict_run_when_nothing_is_restored(tmp_path):
    w = tf.Variable(0.0, name="w")
    value = tf.placeholder(tf.float32, [])
    init = w.assign(value)
    calls = []
    sv = tf.train.Supervisor(logdir=str(tmp_path), init_op=init, init_feed_dict={value: 7.0},
                             init_fn=lambda sess: calls.append(float(sess.run(w))),
                             save_model_secs=600)
    with sv.managed_session() as sess:
        assert sess.run(w) == 7.0
    assert calls == [7.0]
    with sv.managed_session() as sess:  # restored from model.ckpt: no init this time
        assert sess.run(w) == 7.0
    assert calls == [7.0]


# --- stopping: should_stop, exceptions, threads --------------------------------------------------
def test_exceptions_and_stop_requests_match_tf(no_leaked_threads):
    want = TF["exceptions"]
    step, _, train = tiny_model()
    sv = tf.train.Supervisor(logdir=None)
    with sv.managed_session() as sess:
        sess.run(train)
        raise tf.errors.OutOfRangeError(None, None, "input exhausted")
    assert sv.should_stop() == want["out_of_range_should_stop"]
    with pytest.raises(ValueError) as e:
        with sv.managed_session() as sess:
            assert sv.should_stop() == want["reentered_should_stop"]
            assert int(sess.run(step)) == want["reentered_step"]
            raise ValueError("boom")
    assert str(e.value) == want["value_error"]
    assert sv.should_stop() == want["value_error_should_stop"]
    with sv.managed_session() as sess:
        sv.request_stop()
        assert sv.should_stop() == want["request_stop_should_stop"]


def test_error_in_block_stops_services_and_closes_session(tmp_path, no_leaked_threads):
    tiny_model()
    sv = tf.train.Supervisor(logdir=str(tmp_path), save_model_secs=0.05,
                             save_summaries_secs=0.05)
    with pytest.raises(tf.errors.InvalidArgumentError):
        with sv.managed_session() as sess:
            raise tf.errors.InvalidArgumentError(None, None, "bad step")
    assert sv.should_stop()
    with pytest.raises(RuntimeError):
        sess.run(sv.global_step)  # closed


class _FailingSaver:
    """A saver whose saves fail: the checkpoint service reports the error."""

    saver_def = None

    def save(self, *args, **kwargs):
        raise OSError("disk full")


def test_service_error_stops_the_loop_and_is_raised_at_exit(tmp_path, no_leaked_threads):
    step, _, train = tiny_model()
    sv = tf.train.Supervisor(logdir=str(tmp_path), saver=_FailingSaver(), save_model_secs=0.05)
    steps = 0
    with pytest.raises(OSError, match="disk full"):
        with sv.managed_session() as sess:
            deadline = time.time() + 5
            while not sv.should_stop() and time.time() < deadline:
                sess.run(train)
                steps += 1
    assert sv.should_stop() and steps < 100000


def test_queue_runners_start_and_exhausted_input_ends_quietly(no_leaked_threads):
    queue = tf.train.range_input_producer(3, num_epochs=1, shuffle=False)
    item = queue.dequeue()
    size = queue.size()
    sv = tf.train.Supervisor(logdir=None)
    got = []
    with sv.managed_session() as sess:
        deadline = time.time() + 2.0
        while sess.run(size) < 3 and time.time() < deadline:  # filled by the runner threads
            time.sleep(0.01)
        assert sess.run(size) == 3
        while not sv.should_stop():
            got.append(int(sess.run(item)))
    assert got == [0, 1, 2]
    assert sv.should_stop()


def test_loop_calls_target_until_stop(no_leaked_threads):
    tiny_model()
    sv = tf.train.Supervisor(logdir=None)
    calls = []
    with sv.managed_session():
        looper = sv.Loop(0.02, calls.append, args=("tick",))
        time.sleep(0.15)
    assert not looper.is_alive()
    assert 3 <= len(calls) <= 12 and set(calls) == {"tick"}
    n = len(calls)
    time.sleep(0.05)
    assert len(calls) == n


def test_stop_joins_threads_given_and_reraises_their_error(no_leaked_threads):
    tiny_model()
    sv = tf.train.Supervisor(logdir=None)
    sess = sv.prepare_or_wait_for_session()

    def worker():
        with sv.stop_on_exception():
            raise KeyError("from a thread")

    t = threading.Thread(target=worker)
    t.start()
    sv.wait_for_stop()
    with pytest.raises(KeyError):
        sv.stop(threads=[t])
    assert not t.is_alive()
    sess.close()


# --- LooperThread ---------------------------------------------------------------------------------
def test_looper_thread_argument_errors_match_tf():
    with pytest.raises(ValueError) as e:
        tf.train.LooperThread("not a coord", 1)
    assert str(e.value) == TF["looper"]["bad_coord"]
    with pytest.raises(ValueError) as e:
        tf.train.LooperThread(tf.train.Coordinator(), 1, args=(1,))
    assert str(e.value) == TF["looper"]["args_without_target"]


def test_looper_thread_hooks_and_back_to_back_calls(no_leaked_threads):
    coord = tf.train.Coordinator()
    events = []

    class Counter(tf.train.LooperThread):
        def start_loop(self):
            events.append("start")

        def run_loop(self):
            events.append("run")
            if events.count("run") == 5:
                coord.request_stop()

        def stop_loop(self):
            events.append("stop")

    looper = Counter(coord, None)
    assert looper.daemon
    looper.start()
    coord.join()  # registered: joined without being named
    assert events == ["start"] + ["run"] * 5 + ["stop"]


def test_looper_thread_error_goes_to_the_coordinator(no_leaked_threads):
    coord = tf.train.Coordinator()

    def fail(x, y=0):
        raise ValueError("looper %d %d" % (x, y))

    tf.train.LooperThread.loop(coord, 0.01, fail, args=(1,), kwargs={"y": 2})
    assert coord.wait_for_stop(2.0)
    with pytest.raises(ValueError, match="looper 1 2"):
        coord.join()


def test_looper_thread_timer_keeps_its_boundaries(no_leaked_threads):
    coord = tf.train.Coordinator()
    times = []
    tf.train.LooperThread.loop(coord, 0.05, lambda: times.append(time.time()))
    time.sleep(0.23)
    coord.request_stop()
    coord.join()
    assert 4 <= len(times) <= 6  # at 0, 0.05, ... 0.20
    assert times[-1] - times[0] == pytest.approx(0.05 * (len(times) - 1), abs=0.04)


# --- basic_train_loop ----------------------------------------------------------------------------
def test_basic_train_loop_runs_until_stop_with_args(tmp_path, no_leaked_threads):
    step, _, train = tiny_model()
    sv = tf.train.Supervisor(logdir=str(tmp_path), save_model_secs=600)
    seen = []

    def train_step(sess, fetches, limit=0):
        seen.append(int(sess.run(fetches)[1]))
        if seen[-1] >= limit:
            sv.request_stop()

    tf.train.basic_train_loop(sv, train_step, args=[[train, step]], kwargs={"limit": 4})
    assert seen == [1, 2, 3, 4]
    # The start-up checkpoint is named by the step when it began (its values may be later).
    assert (tmp_path / "model.ckpt-0.index").exists()


def test_basic_train_loop_retries_after_aborted_error(no_leaked_threads):
    step, _, train = tiny_model()
    sv = tf.train.Supervisor(logdir=None)
    sessions = []

    def train_step(sess):
        if sess not in sessions:
            sessions.append(sess)
        sess.run(train)
        if len(sessions) == 1:
            raise tf.errors.AbortedError(None, None, "preempted")
        sv.request_stop()

    tf.train.basic_train_loop(sv, train_step)
    assert len(sessions) == 2  # a second managed session after the AbortedError


def test_basic_train_loop_raises_other_errors(no_leaked_threads):
    tiny_model()
    sv = tf.train.Supervisor(logdir=None)
    with pytest.raises(ZeroDivisionError):
        tf.train.basic_train_loop(sv, lambda sess: 1 / 0)


# --- checkpoints_iterator ------------------------------------------------------------------------
def _save_checkpoint(logdir, step_value):
    with tf.Graph().as_default():
        v = tf.Variable(float(step_value), name="v")
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(v.initializer)
            return saver.save(sess, os.path.join(logdir, "model.ckpt"), global_step=step_value)


def test_checkpoints_iterator_ends_at_timeout(tmp_path):
    start = time.time()
    assert list(tf.train.checkpoints_iterator(str(tmp_path), timeout=0)) == []
    path = _save_checkpoint(str(tmp_path), 3)
    assert list(tf.train.checkpoints_iterator(str(tmp_path), timeout=0)) == [path]
    assert time.time() - start < 2.0


def test_checkpoints_iterator_yields_new_checkpoints_and_asks_timeout_fn(tmp_path):
    first = _save_checkpoint(str(tmp_path), 1)
    answers = []

    def timeout_fn():
        answers.append(len(answers))
        if len(answers) == 2:  # after the first checkpoint and one idle wait: a new one
            _save_checkpoint(str(tmp_path), 2)
        return len(answers) >= 4

    got = list(tf.train.checkpoints_iterator(str(tmp_path), timeout=0, timeout_fn=timeout_fn))
    assert got == [first, os.path.join(str(tmp_path), "model.ckpt-2")]
    # Asked after each yield too (as TF): yield, idle, yield, idle -> True.
    assert answers == [0, 1, 2, 3]


def test_checkpoints_iterator_asks_timeout_fn_right_after_a_yield(tmp_path, monkeypatch):
    from tensorflux.train import checkpoint_utils

    first = _save_checkpoint(str(tmp_path), 1)
    order = []
    wait = checkpoint_utils.wait_for_new_checkpoint

    def recording_wait(*args, **kwargs):
        order.append("wait")
        return wait(*args, **kwargs)

    def timeout_fn():
        order.append("timeout_fn")
        return True

    monkeypatch.setattr(checkpoint_utils, "wait_for_new_checkpoint", recording_wait)
    for path in tf.train.checkpoints_iterator(str(tmp_path), timeout=0, timeout_fn=timeout_fn):
        order.append(path)
    assert order == ["wait", first, "timeout_fn"]  # TF stops without waiting again


def test_checkpoints_iterator_min_interval(tmp_path):
    _save_checkpoint(str(tmp_path), 1)
    it = tf.train.checkpoints_iterator(str(tmp_path), min_interval_secs=0.3, timeout=0)
    start = time.time()
    next(it)
    _save_checkpoint(str(tmp_path), 2)
    assert next(it).endswith("model.ckpt-2")
    assert time.time() - start >= 0.3
    assert list(it) == []
