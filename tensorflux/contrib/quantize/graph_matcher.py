"""Op-type patterns over a graph (TF 1.15's `contrib/quantize/python/graph_matcher.py`).

A pattern names op types (`'Conv2D|MatMul'`, `'*'` for any) and patterns for the op's inputs;
`GraphMatcher(pattern).match_graph(graph)` yields one `MatchResult` per op the pattern matches
at, giving the op / output tensor each sub-pattern was bound to.

    >>> conv = OpTypePattern('Conv2D', inputs=['*', OpTypePattern('Identity')])
    >>> relu = OpTypePattern('Relu|Relu6', inputs=[OpTypePattern('BiasAdd', inputs=[conv, '*'])])
    >>> for m in GraphMatcher(relu).match_graph(graph): print(m.get_op(conv).name)
"""

import itertools


class Pattern:
    """The base class of patterns."""

    def match(self, op, tensor):
        raise NotImplementedError


class OpTypePattern(Pattern):
    """Matches an op whose type is one of `op_type` (`'A|B'`, or `'*'` for any op).

    `inputs` (patterns, or `'*'`) must match the op's inputs in order, or in any order when
    `ordered_inputs=False`; `inputs=None` matches any inputs.
    """

    def __init__(self, op_type, name=None, inputs=None, ordered_inputs=True):
        self._op_type = op_type
        self._name = name
        if inputs is None:
            inputs = []
        if not ordered_inputs and len(inputs) > 8:
            raise ValueError("Only < 8 inputs are allowed when ordered_inputs is False.")
        self._inputs = [p if isinstance(p, Pattern) else OpTypePattern(p) for p in inputs]
        self._ordered_inputs = ordered_inputs

    @property
    def name(self):
        return self._name

    def match(self, op, tensor):
        if self._op_type != "*" and op.type not in self._op_type.split("|"):
            return None
        match_result = MatchResult()
        match_result.add(self, op, tensor)
        if not self._inputs:
            return match_result
        if len(op.inputs) != len(self._inputs):
            return None
        orders = ([self._inputs] if self._ordered_inputs
                  else itertools.permutations(self._inputs))
        for order in orders:
            trial = match_result.copy()
            for input_tensor, input_pattern in zip(op.inputs, order):
                sub = input_pattern.match(input_tensor.op, input_tensor)
                if sub is None:
                    break
                trial.merge_from(sub)
            else:
                return trial
        return None


class OneofPattern(Pattern):
    """Matches when any of `sub_patterns` matches (the first that does)."""

    def __init__(self, sub_patterns):
        self._sub_patterns = sub_patterns

    def match(self, op, tensor):
        for sub in self._sub_patterns:
            result = sub.match(op, tensor)
            if result is not None:
                return result
        return None


class MatchResult:
    """The ops and tensors bound to the sub-patterns of one match."""

    def __init__(self):
        self._pattern_to_op_tensor = {}
        self._name_to_pattern = {}

    def add(self, pattern, op, tensor):
        self._pattern_to_op_tensor[pattern] = op, tensor
        if pattern.name is not None:
            if pattern.name in self._name_to_pattern:
                raise ValueError("Name %s is already bound to another pattern" % pattern.name)
            self._name_to_pattern[pattern.name] = pattern

    def _to_pattern(self, pattern_or_name):
        if isinstance(pattern_or_name, Pattern):
            return pattern_or_name
        if isinstance(pattern_or_name, str):
            return self._name_to_pattern.get(pattern_or_name)
        raise ValueError("pattern_or_name has type %s. Expect Pattern or str."
                         % type(pattern_or_name))

    def _get_op_tensor(self, pattern_or_name):
        pattern = self._to_pattern(pattern_or_name)
        if pattern is None:
            return None
        return self._pattern_to_op_tensor.get(pattern)

    def get_op(self, pattern_or_name):
        op_tensor = self._get_op_tensor(pattern_or_name)
        return op_tensor[0] if op_tensor else None

    def get_tensor(self, pattern_or_name):
        op_tensor = self._get_op_tensor(pattern_or_name)
        return op_tensor[1] if op_tensor else None

    def merge_from(self, other):
        self._pattern_to_op_tensor.update(other._pattern_to_op_tensor)
        self._name_to_pattern.update(other._name_to_pattern)

    def copy(self):
        out = MatchResult()
        out.merge_from(self)
        return out


class GraphMatcher:
    """Finds every place in a graph where `pattern` matches."""

    def __init__(self, pattern):
        self._pattern = pattern

    def match_op(self, op):
        """The MatchResult of the pattern rooted at `op` (its first output), or None."""
        return self._pattern.match(op, op.outputs[0] if op.outputs else None)

    def match_ops(self, ops):
        for op in ops:
            result = self.match_op(op)
            if result is not None:
                yield result

    def match_graph(self, graph):
        """Matches at every op of `graph`, in creation order."""
        return self.match_ops(graph.get_operations())
