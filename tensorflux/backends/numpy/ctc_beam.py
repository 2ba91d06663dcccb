"""TF's CTC prefix beam search (core/util/ctc/ctc_beam_search.h) with the default scorer.

A beam entry is a node of a prefix tree (its labels from the root); each keeps, in log space,
the probability of its prefix ending in a blank, ending in its label, and their total, for the
previous step (`old`) and the current one (`new`). Each step scores the inputs as log-softmax
probabilities (the scores TF reports) and keeps the `beam_width` best prefixes by `new.total`.
"""

import numpy as np

NEG_INF = -np.inf


class _Prob:
    __slots__ = ("blank", "label", "total")

    def __init__(self, blank=NEG_INF, label=NEG_INF, total=NEG_INF):
        self.blank, self.label, self.total = blank, label, total

    def copy(self):
        return _Prob(self.blank, self.label, self.total)


class _Entry:
    __slots__ = ("parent", "label", "children", "old", "new")

    def __init__(self, parent, label):
        self.parent, self.label, self.children = parent, label, {}
        self.old, self.new = _Prob(), _Prob()

    def active(self):
        return self.new.total != NEG_INF

    def child(self, label):
        c = self.children.get(label)
        if c is None:
            c = self.children[label] = _Entry(self, label)
        return c

    def labels(self, merge_repeated):
        out, prev, e = [], -1, self
        while e.parent is not None:
            if not merge_repeated or e.label != prev:
                out.append(e.label)
            prev, e = e.label, e.parent
        return out[::-1]


class _TopN:
    """The best `limit` entries by `new.total` (a full list drops its bottom for a better one)."""

    def __init__(self, limit):
        self.limit, self.items = limit, []

    def __len__(self):
        return len(self.items)

    def bottom(self):
        return min(self.items, key=lambda e: e.new.total)

    def push(self, e):
        if len(self.items) < self.limit:
            self.items.append(e)
            return
        low = self.bottom()
        if e.new.total > low.new.total:
            self.items.remove(low)
            self.items.append(e)

    def extract(self):
        out = sorted(self.items, key=lambda e: -e.new.total)
        self.items = []
        return out


def _step(leaves, logits, width, blank):
    top = float(np.logaddexp.reduce(logits))
    branches = leaves.extract()
    for b in branches:
        b.old = b.new.copy()
    for b in branches:
        if b.parent is not None:
            if b.parent.active():
                prev = b.parent.old.blank if b.label == b.parent.label else b.parent.old.total
                b.new.label = np.logaddexp(b.new.label, prev)
            b.new.label += logits[b.label] - top
        b.new.blank = b.old.total + logits[blank] - top
        b.new.total = np.logaddexp(b.new.blank, b.new.label)
        leaves.push(b)

    def candidate(p):
        return p.total > NEG_INF and (len(leaves) < width or p.total > leaves.bottom().new.total)

    for b in branches:
        if not candidate(b.old):
            continue
        for label in range(blank):
            c = b.child(label)
            if c.active():
                continue
            c.new.blank = NEG_INF
            prev = b.old.blank if label == b.label else b.old.total
            c.new.label = logits[label] - top + prev
            c.new.total = c.new.label
            if candidate(c.new):
                if len(leaves) == width:
                    leaves.bottom().new = _Prob()
                leaves.push(c)
            else:
                c.old, c.new = _Prob(), _Prob()


def beam_search(logits, width, top_paths, merge_repeated):
    """The `top_paths` best (labels, log score) of one sequence's logits [time, classes]."""
    blank = logits.shape[1] - 1
    root = _Entry(None, -1)
    root.new = _Prob(blank=0.0, total=0.0)
    leaves = _TopN(width)
    leaves.push(root)
    for t in range(logits.shape[0]):
        _step(leaves, logits[t], width, blank)
    best = leaves.extract()
    if top_paths > len(best):
        raise ValueError("Less leaves in the beam search than requested.")
    return [(e.labels(merge_repeated), e.new.total) for e in best[:top_paths]]
