"""`tf.train.ProfilerHook`: every N steps or seconds, trace one step and write its Chrome trace
to `<output_dir>/timeline-<global step>.json` (and its RunMetadata to the summary file)."""

import os

from tensorflux.client import timeline
from tensorflux.client.config import RunOptions
from tensorflux.platform import tf_logging as logging
from tensorflux.train.basic_session_run_hooks import (
    SecondOrStepTimer,
    SummaryWriterCache,
    _global_step_read,
)
from tensorflux.train.session_run_hook import SessionRunArgs, SessionRunHook


class ProfilerHook(SessionRunHook):
    """Captures a traced step every `save_steps` steps or `save_secs` seconds (exactly one).

    The step after the hook's first run is the first that can be traced; the file is named
    after the global step the traced run reached.

    Example:
        >>> hook = tf.train.ProfilerHook(save_steps=100, output_dir="/tmp/model")
        >>> with tf.train.MonitoredTrainingSession(hooks=[hook]) as sess: ...
    """

    def __init__(self, save_steps=None, save_secs=None, output_dir="", show_dataflow=True,
                 show_memory=False):
        self._output_file = os.path.join(output_dir, "timeline-{}.json")
        self._file_writer = SummaryWriterCache.get(output_dir)
        self._show_dataflow = show_dataflow
        self._show_memory = show_memory
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)

    def begin(self):
        self._next_step = None
        self._global_step_tensor = _global_step_read("ProfilerHook")

    def before_run(self, run_context):
        self._request_summary = (self._next_step is not None
                                 and self._timer.should_trigger_for_step(self._next_step))
        options = RunOptions(trace_level=RunOptions.FULL_TRACE) if self._request_summary \
            else None
        return SessionRunArgs({"global_step": self._global_step_tensor}, options=options)

    def after_run(self, run_context, run_values):
        stale_global_step = run_values.results["global_step"]
        if self._next_step is None:
            # The first run only starts the timer.
            self._timer.update_last_triggered_step(stale_global_step)
        global_step = stale_global_step + 1
        if self._request_summary:
            global_step = run_context.session.run(self._global_step_tensor)
            self._timer.update_last_triggered_step(global_step)
            self._save(global_step, self._output_file.format(global_step),
                       run_values.run_metadata.step_stats)
            self._file_writer.add_run_metadata(run_values.run_metadata, "step_%d" % global_step)
        self._next_step = global_step + 1

    def _save(self, step, save_path, step_stats):
        logging.info("Saving timeline for %d into '%s'.", step, save_path)
        trace = timeline.Timeline(step_stats).generate_chrome_trace_format(
            show_dataflow=self._show_dataflow, show_memory=self._show_memory)
        with open(save_path, "w") as f:
            f.write(trace)
