"""The profiler's per-op record (TF's TFGraphNode): shapes, op types, flops and run statistics.

Built from a Graph (shapes as `as_graph_def(add_shapes=True)` gives them: a scalar is `[1]`, an
unknown dimension `-1`, an unknown rank `[]`), an op log, and optionally a RunMetadata.
"""

import re

from tensorflux.graph.tensor_shape import TensorShape

_CPU_TIME = re.compile(r".*/(device:gpu|gpu|device:cpu|cpu):\d+")


def shape_to_vec(shape):
    """TF's ShapeProtoToVec for a TensorShape."""
    dims = shape.dims if isinstance(shape, TensorShape) else None
    if dims is None:
        return []
    if not dims:
        return [1]
    return [-1 if d.value is None else d.value for d in dims]


class ExecStep:
    """One step's executions of a node: run count, per-device (start, micros), memory."""

    def __init__(self):
        self.run_count = 0
        self.all_start_micros = 0
        self.latest_end_micros = 0
        self.accelerator_execs = {}
        self.cpu_execs = {}
        self.devices = set()
        self.memory = []  # (requested, peak, residual, output) per scheduling

    def add_time_stats(self, dev, stat):
        self.devices.add(dev)
        if stat.all_start_micros <= 0:
            return
        if self.all_start_micros > 0:
            self.all_start_micros = min(self.all_start_micros, stat.all_start_micros)
        else:
            self.all_start_micros = stat.all_start_micros
        end = stat.op_end_rel_micros or 1  # a quick op counts one microsecond
        self.latest_end_micros = max(self.latest_end_micros, stat.all_start_micros + end)
        pair = (stat.all_start_micros, end)
        if "stream:all" in dev:
            self.accelerator_execs.setdefault(dev, []).append(pair)
        elif _CPU_TIME.fullmatch(dev):
            self.cpu_execs.setdefault(dev, []).append(pair)
            self.run_count += 1

    def add_memory_stats(self, stat):
        if stat.all_start_micros <= 0:
            return
        output = 0
        for out in stat.output:
            alloc = out.tensor_description.allocation_description
            output += max(alloc.allocated_bytes, alloc.requested_bytes)
        requested = sum(m.total_bytes for m in stat.memory)
        peak = sum(m.peak_bytes for m in stat.memory)
        residual = sum(m.live_bytes for m in stat.memory)
        self.memory.append((requested, peak, residual, output))

    def accelerator_exec_micros(self):
        return sum(p[1] for execs in self.accelerator_execs.values() for p in execs)

    def cpu_exec_micros(self):
        return sum(p[1] for execs in self.cpu_execs.values() for p in execs)

    def exec_micros(self):
        return self.accelerator_exec_micros() + self.cpu_exec_micros()

    def bytes(self, i):
        return sum(m[i] for m in self.memory)


class TFGraphNode:
    """A graph op (or a name-scope parent) with what the profiler knows about it."""

    def __init__(self, name, op_type, nodes_map=None, shape=None, output_shapes=None):
        self.name = name
        self.op = op_type
        self.op_types = {op_type}
        self.static_float_ops = 0
        self.shape = shape or []
        self.output_shapes = output_shapes or {}
        self.inputs = {}  # input index -> input node name
        self.src_output_idx = {}  # input node name -> output index
        self.execs = {}  # step -> ExecStep
        self.canonical_device = ""
        self.host_device = ""
        self._nodes_map = nodes_map

    @classmethod
    def from_op(cls, op, nodes_map):
        shape_attr = op._attrs.get("shape")
        shape = shape_to_vec(shape_attr) if isinstance(shape_attr, TensorShape) else []
        outputs = {i: shape_to_vec(t.get_shape()) for i, t in enumerate(op.outputs)}
        node = cls(op.name, op.type, nodes_map, shape, outputs)
        inputs = [(t.op.name, t.value_index) for t in op.inputs]
        inputs += [(c.name, 0) for c in op.control_inputs]
        for i, (name, idx) in enumerate(inputs):
            node.inputs[i] = name
            node.src_output_idx[name] = idx
        return node

    def add_step_stat(self, step, device, stat):
        dev = device.lower()
        if _CPU_TIME.fullmatch(dev):
            if self.canonical_device:
                if self.canonical_device != dev:
                    return
            else:
                self.canonical_device = dev
                self.host_device = re.sub(r"gpu:\d+", "cpu:0", dev)
                self.op_types.add(dev)
        exec_step = self.execs.setdefault(step, ExecStep())
        exec_step.add_time_stats(dev, stat)
        if dev == self.canonical_device:
            exec_step.add_memory_stats(stat)

    def _per_step(self, step, fn):
        if not self.execs:
            return 0
        if step >= 0:
            exec_step = self.execs.get(step)
            return fn(exec_step) if exec_step is not None else 0
        return sum(fn(e) for e in self.execs.values()) // len(self.execs)

    def run_count(self, step):
        return self._per_step(step, lambda e: e.run_count)

    def exec_micros(self, step):
        return self._per_step(step, ExecStep.exec_micros)

    def accelerator_exec_micros(self, step):
        return self._per_step(step, ExecStep.accelerator_exec_micros)

    def cpu_exec_micros(self, step):
        return self._per_step(step, ExecStep.cpu_exec_micros)

    def requested_bytes(self, step):
        return self._per_step(step, lambda e: e.bytes(0))

    def peak_bytes(self, step):
        return self._per_step(step, lambda e: e.bytes(1))

    def residual_bytes(self, step):
        return self._per_step(step, lambda e: e.bytes(2))

    def output_bytes(self, step):
        return self._per_step(step, lambda e: e.bytes(3))

    def parameters(self):
        if not self.shape or any(d < 0 for d in self.shape):
            return 0
        n = 1
        for d in self.shape:
            n *= d
        return n

    def float_ops(self, step):
        if not self.execs:
            return self.static_float_ops
        return self.static_float_ops * self.run_count(step)

    def input_shapes(self):
        out = {}
        for i, name in sorted(self.inputs.items()):
            out[i] = []
            src = (self._nodes_map or {}).get(name)
            if src is None:
                continue
            shape = src.output_shapes.get(self.src_output_idx.get(name))
            if shape is not None:
                out[i] = list(shape)
        return out


def build_nodes(graph, op_log=None, run_meta=None):
    """{name: TFGraphNode} for every op of `graph`, with the op log's facts and run 0's stats."""
    nodes = {}
    for op in graph.get_operations():
        if op.name not in nodes:
            nodes[op.name] = TFGraphNode.from_op(op, nodes)
    steps = set()
    if run_meta is not None and run_meta.step_stats.dev_stats:
        add_run_meta(nodes, 0, run_meta)
        steps.add(0)
    for entry in (op_log.log_entries if op_log else ()):
        node = nodes.get(entry.name)
        if node is None:
            continue
        node.op_types.update(entry.types)
        if entry.float_ops:
            node.static_float_ops = int(entry.float_ops)
    return nodes, steps


def add_run_meta(nodes, step, run_meta):
    for dev_stat in run_meta.step_stats.dev_stats:
        for stat in dev_stat.node_stats:
            name = stat.node_name.split(":")[0]
            node = nodes.get(name)
            if node is None:
                if name in ("RecvTensor", "_SOURCE") or "MEMCPY" in name:
                    continue
                node = nodes[name] = TFGraphNode(name, name, nodes)
            node.add_step_stat(step, dev_stat.device, stat)
