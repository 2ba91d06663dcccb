"""Chrome trace timelines from a traced run's step stats (TF's `tensorflow.python.client.timeline`).

Example:
    >>> md = tf.RunMetadata()
    >>> sess.run(y, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
    ...          run_metadata=md)
    >>> trace = Timeline(md.step_stats).generate_chrome_trace_format()
    >>> open("timeline.json", "w").write(trace)   # load in chrome://tracing or Perfetto

Layout (TF's): process 0 is "Allocators" (memory counters); each device gets a "<device>
Compute" process, whose threads are non-overlapping lanes of complete events (`ph: "X"`, one
per op, `args: {name, op, input0, ...}`), and a "<device> Tensors" process for tensor objects.
With `show_dataflow`, each edge between ops on different processes or lanes becomes a flow
(`ph: "s"` at the producer's end, `ph: "t"` at the consumer's start); with `show_memory`, each
output becomes an object (`N`/`O`/`D` events) and each allocator a counter (`C`) of live bytes.
"""

import collections
import json
import re

AllocationMaximum = collections.namedtuple("AllocationMaximum",
                                           ("timestamp", "num_bytes", "tensors"))
StepStatsAnalysis = collections.namedtuple("StepStatsAnalysis",
                                           ("chrome_trace", "allocator_maximums"))

_LABEL = re.compile(r"(.*) = (.*)\((.*)\)")


class _ChromeTrace:
    """The event list of one trace, in the Trace Event Format."""

    def __init__(self):
        self.metadata = []
        self.events = []

    def emit_pid(self, name, pid):
        self.metadata.append({"name": "process_name", "ph": "M", "pid": pid,
                              "args": {"name": name}})

    def emit_region(self, ts, dur, pid, tid, category, name, args):
        self.events.append({"ph": "X", "cat": category, "name": name, "pid": pid, "tid": tid,
                            "ts": ts, "dur": dur, "args": args})

    def emit_flow(self, name, start, end, flow_id):
        for ph, (ts, pid, tid) in (("s", start), ("t", end)):
            self.events.append({"ph": ph, "cat": "DataFlow", "name": name, "pid": pid,
                                "tid": tid, "ts": ts, "id": flow_id})

    def emit_object(self, ph, name, ts, pid, tid, object_id, snapshot=None):
        event = {"ph": ph, "cat": "Tensor", "name": name, "pid": pid, "tid": tid, "ts": ts,
                 "id": object_id}
        if snapshot is not None:
            event["args"] = {"snapshot": snapshot}
        self.events.append(event)

    def emit_counter(self, category, name, pid, ts, counter, value):
        self.events.append({"ph": "C", "cat": category, "name": name, "pid": pid, "tid": 0,
                            "ts": ts, "args": {counter: value}})

    def format_to_string(self, pretty=False):
        trace = {"traceEvents": self.metadata + self.events}
        if pretty:
            return json.dumps(trace, indent=4, separators=(",", ": "))
        return json.dumps(trace, separators=(",", ":"))


class _Tensor:
    """One op output: where it lives and when it is created and last used."""

    def __init__(self, name, object_id, created, pid, allocator, num_bytes):
        self.name = name
        self.object_id = object_id
        self.created = created
        self.pid = pid
        self.allocator = allocator
        self.num_bytes = num_bytes
        self.last_use = created


def parse_label(label):
    """`"name = Type(a, b:1)"` -> ("name", "Type", ["a", "b:1"]) (TF's timeline labels)."""
    m = _LABEL.match(label or "")
    if m is None:
        return "unknown", "unknown", []
    name, op, inputs = m.groups()
    return name, op, inputs.split(", ") if inputs else []


class Timeline:
    """A Chrome trace of one step, built from `RunMetadata.step_stats`."""

    def __init__(self, step_stats, graph=None):
        self._step_stats = step_stats
        self._graph = graph

    def analyze_step_stats(self, show_dataflow=True, show_memory=True, op_time="schedule"):
        """Returns StepStatsAnalysis(chrome_trace, allocator_maximums)."""
        del op_time  # tensorflux records one time per op: scheduling is execution
        stats = self._step_stats
        trace = _ChromeTrace()
        allocators_pid = 0
        trace.emit_pid("Allocators", allocators_pid)
        pids = {}
        for k, dev in enumerate(stats.dev_stats):
            pids[dev.device] = (1 + 2 * k, 2 + 2 * k)
            trace.emit_pid(dev.device + " Compute", pids[dev.device][0])
            trace.emit_pid(dev.device + " Tensors", pids[dev.device][1])
        lanes = {}
        for dev in stats.dev_stats:
            lanes.update(_assign_lanes(dev.node_stats))
        tensors, produced = self._outputs(stats, pids, lanes, trace, show_memory)
        flow_id = 0
        for dev in stats.dev_stats:
            pid = pids[dev.device][0]
            for ns in dev.node_stats:
                tid = lanes[id(ns)]
                start, end = ns.all_start_micros, ns.all_start_micros + ns.all_end_rel_micros
                _, op, inputs = parse_label(ns.timeline_label)
                args = {"name": ns.node_name, "op": op}
                for i, name in enumerate(inputs):
                    args["input%d" % i] = name
                trace.emit_region(start, ns.all_end_rel_micros, pid, tid, "Op", op, args)
                for name in inputs:
                    if name not in tensors and name.rfind("/_") > 0:
                        name = name[:name.rfind("/_")]  # a _Recv: the flow starts at the source
                    t = tensors.get(name)
                    if t is None:
                        continue
                    t.last_use = max(t.last_use, end - 1)
                    source = produced[name]
                    if show_dataflow and source[1:] != (pid, tid):
                        trace.emit_flow(name, source, (start, pid, tid), flow_id)
                        flow_id += 1
        maximums = {}
        if show_memory:
            maximums = self._memory(tensors, trace, allocators_pid)
        return StepStatsAnalysis(trace, maximums)

    def generate_chrome_trace_format(self, show_dataflow=True, show_memory=False,
                                     op_time="schedule"):
        """The trace as a JSON string (`{"traceEvents": [...]}`) for chrome://tracing."""
        analysis = self.analyze_step_stats(show_dataflow, show_memory, op_time)
        return analysis.chrome_trace.format_to_string(pretty=True)

    # --- helpers ------------------------------------------------------------------------------
    @staticmethod
    def _outputs(stats, pids, lanes, trace, show_memory):
        """Every op output as a tracked tensor; where each one's flow starts."""
        tensors, produced = {}, {}
        for dev in stats.dev_stats:
            compute_pid, tensors_pid = pids[dev.device]
            for ns in dev.node_stats:
                tid = lanes[id(ns)]
                start, end = ns.all_start_micros, ns.all_start_micros + ns.all_end_rel_micros
                for index, out in enumerate(ns.output):
                    name = ns.node_name if index == 0 else "%s:%d" % (ns.node_name, index)
                    alloc = out.tensor_description.allocation_description
                    t = _Tensor(name, len(tensors), start, tensors_pid, alloc.allocator_name,
                                alloc.requested_bytes)
                    t.last_use = end
                    tensors[name] = t
                    produced[name] = (end, compute_pid, tid)
                    if show_memory:
                        trace.emit_object("N", name, start, tensors_pid, tid, t.object_id)
                        desc = str(out.tensor_description).replace('"', "")
                        trace.emit_object("O", name, max(start, end - 1), tensors_pid, tid,
                                          t.object_id,
                                          {"tensor_description": desc})
        return tensors, produced

    @staticmethod
    def _memory(tensors, trace, pid):
        """Deletion events and one live-bytes counter series per allocator."""
        events = {}
        for t in tensors.values():
            trace.emit_object("D", t.name, t.last_use, t.pid, 0, t.object_id)
            events.setdefault(t.allocator, []).extend(
                [(t.created, t.num_bytes, t.name), (t.last_use, -t.num_bytes, t.name)])
        maximums = {}
        for allocator, series in events.items():
            total, live = 0, set()
            best = AllocationMaximum(0, 0, set())
            for ts, num_bytes, name in sorted(series):
                total += num_bytes
                if num_bytes < 0:
                    live.discard(name)
                else:
                    live.add(name)
                if total > best.num_bytes:
                    best = AllocationMaximum(ts, total, set(live))
                trace.emit_counter("Memory", allocator, pid, ts, allocator, total)
            maximums[allocator] = best
        return maximums


def _assign_lanes(node_stats):
    """id(node stats) -> lane: the first lane free when the op starts (TF's rule, except that
    an op starting in the microsecond the previous one ended stays in its lane)."""
    lanes, out = [], {}
    for ns in node_stats:
        end = ns.all_start_micros + ns.all_end_rel_micros
        for i, busy_until in enumerate(lanes):
            if ns.all_start_micros >= busy_until:
                lanes[i] = end
                out[id(ns)] = i
                break
        else:
            out[id(ns)] = len(lanes)
            lanes.append(end)
    return out
