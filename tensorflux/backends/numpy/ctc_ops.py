"""numpy kernels for CTC (ops/ctc_ops.py): the loss by forward-backward in log space, decoders.

The loss works on the extended label sequence l' (a blank before each label and at the end,
length U = 2L + 1), padded to the batch's longest so alpha and beta advance for every batch
entry at once: alpha[t, b, u] includes the emission at t, beta[t, b, u] the emissions after t
(TF's convention), so p(l | x) = sum_u alpha[0] * beta[0] and the gradient w.r.t. the logits is
softmax - (sum of alpha * beta over the states of each class) / p.
"""

import numpy as np

from tensorflux import errors
from tensorflux.backends.numpy.ctc_beam import beam_search
from tensorflux.ops.registry import kernel

NEG_INF = -np.inf


def _log_softmax(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _label_lists(indices, values, batch):
    """Per batch entry, its label values in position order."""
    out = [[] for _ in range(batch)]
    order = np.lexsort((indices[:, 1], indices[:, 0])) if len(indices) else []
    for i in order:
        b = int(indices[i, 0])
        if not 0 <= b < batch:
            raise errors.InvalidArgumentError(None, None, "labels batch index %d out of range "
                                              "[0, %d)" % (b, batch))
        out[b].append(int(values[i]))
    return out


def _prepare_labels(label, b, num_classes, collapse):
    """TF's l: optionally collapsed; blank-or-above labels end the sequence (padding)."""
    if not label:
        raise errors.InvalidArgumentError(None, None, "Labels length is zero in batch %d" % b)
    out, finished = [], False
    for i, v in enumerate(label):
        if i > 0 and collapse and v == label[i - 1]:
            continue
        if v >= num_classes - 1:
            finished = True
        elif finished:
            raise errors.InvalidArgumentError(
                None, None, "Saw a non-null label (index >= num_classes - 1) following a null "
                "label, batch: %d num_classes: %d labels: %s" % (b, num_classes, label))
        elif v < 0:
            raise errors.InvalidArgumentError(None, None, "All labels must be nonnegative "
                                              "integers, batch: %d labels: %s" % (b, label))
        else:
            out.append(v)
    return out


def _extended(labels, blank):
    """l' padded with blanks: ext [B, U], n_states [B]."""
    n_states = np.array([2 * len(lab) + 1 for lab in labels], np.int64)
    ext = np.full((len(labels), int(n_states.max()) if len(labels) else 1), blank, np.int64)
    for b, lab in enumerate(labels):
        ext[b, 1:2 * len(lab):2] = lab
    return ext, n_states


def _shift(x, k):
    """x[..., u - k] along the last axis (-inf where u < k)."""
    out = np.full_like(x, NEG_INF)
    if k < x.shape[-1]:
        out[..., k:] = x[..., :-k]
    return out


def _unshift(x, k):
    """x[..., u + k] along the last axis (-inf past the end)."""
    out = np.full_like(x, NEG_INF)
    if k < x.shape[-1]:
        out[..., :-k] = x[..., k:]
    return out


def _transitions(ext, blank, merge_repeated):
    stay = np.ones(ext.shape, bool) if merge_repeated else ext == blank
    skip = np.zeros(ext.shape, bool)
    skip[:, 2:] = ext[:, 2:] != blank
    if merge_repeated:
        skip[:, 2:] &= ext[:, 2:] != ext[:, :-2]
    return stay, skip


def _forward_backward(emit, lengths, n_states, stay, skip):
    """log alpha and log beta [T, B, U] (beta excludes the emission at t)."""
    n_time, batch, width = emit.shape
    alpha = np.full(emit.shape, NEG_INF)
    beta = np.full(emit.shape, NEG_INF)
    alpha[0, :, :2] = emit[0, :, :2]
    for t in range(1, n_time):
        prev = alpha[t - 1]
        acc = np.logaddexp(np.where(stay, prev, NEG_INF), _shift(prev, 1))
        acc = np.logaddexp(acc, np.where(skip, _shift(prev, 2), NEG_INF))
        alpha[t] = emit[t] + acc
    rows = np.arange(batch)
    ends = np.full((batch, width), NEG_INF)
    ends[rows, n_states - 1] = 0.0
    ends[rows, np.maximum(n_states - 2, 0)] = 0.0
    for t in range(n_time - 1, -1, -1):
        rec = np.full((batch, width), NEG_INF)
        if t + 1 < n_time:
            nxt = beta[t + 1] + emit[t + 1]
            rec = np.logaddexp(np.where(stay, nxt, NEG_INF), _unshift(nxt, 1))
            rec = np.logaddexp(rec, _unshift(np.where(skip, nxt, NEG_INF), 2))
        last = (lengths - 1 == t)[:, None]
        beta[t] = np.where(last, ends, np.where((t < lengths - 1)[:, None], rec, NEG_INF))
    return alpha, beta


def ctc_loss_and_grad(logits, labels, lengths, merge_repeated):
    """Loss [B] and d(loss)/d(logits) [T, B, C] for prepared label lists (no skipped entries)."""
    n_time, batch, num_classes = logits.shape
    blank = num_classes - 1
    logp = _log_softmax(logits.astype(np.float64))
    ext, n_states = _extended(labels, blank)
    valid = np.arange(ext.shape[1])[None, :] < n_states[:, None]
    emit = np.take_along_axis(logp, np.broadcast_to(ext[None], (n_time,) + ext.shape), axis=2)
    emit = np.where(valid[None], emit, NEG_INF)
    stay, skip = _transitions(ext, blank, merge_repeated)
    alpha, beta = _forward_backward(emit, lengths, n_states, stay, skip)
    with np.errstate(invalid="ignore"):
        ll = np.logaddexp.reduce(alpha[0] + beta[0], axis=-1)
        occupancy = np.exp(alpha + beta - ll[None, :, None])
    occupancy = np.nan_to_num(occupancy, nan=0.0)
    onehot = (ext[:, :, None] == np.arange(num_classes)).astype(np.float64)
    grad = np.exp(logp) - np.einsum("tbu,buc->tbc", occupancy, onehot)
    no_path = ~np.isfinite(ll)
    grad[:, no_path] = np.exp(logp[:, no_path])  # TF: "No valid path found."
    grad *= (np.arange(n_time)[:, None] < lengths[None, :])[:, :, None]
    return -ll, grad


@kernel("CTCLoss")
def _ctc_loss(op):
    collapse = op._attrs["preprocess_collapse_repeated"]
    merge = op._attrs["ctc_merge_repeated"]
    ignore = op._attrs["ignore_longer_outputs_than_inputs"]

    def run(logits, indices, values, lengths):
        n_time, batch, num_classes = logits.shape
        lengths = np.asarray(lengths, np.int64)
        if lengths.shape != (batch,):
            raise errors.InvalidArgumentError(None, None, "len(sequence_length) != batch_size. "
                                              "len(sequence_length):  %d batch_size: %d"
                                              % (lengths.size, batch))
        for b, n in enumerate(lengths):
            if n < 0 or n > n_time:
                raise errors.InvalidArgumentError(None, None, "seq_len(%d) %s" % (
                    b, "< 0" if n < 0 else "> num_time_steps"))
        raw = _label_lists(np.asarray(indices), np.asarray(values), batch)
        labels = [_prepare_labels(lab, b, num_classes, collapse) for b, lab in enumerate(raw)]
        keep = np.ones(batch, bool)
        for b, lab in enumerate(raw):
            if lengths[b] == 0 or (ignore and len(lab) > lengths[b]):
                keep[b] = False
            elif not ignore and len(lab) > lengths[b]:
                raise errors.InvalidArgumentError(
                    None, None, "Not enough time for target transition sequence (required: %d, "
                    "available: %d)%dYou can turn this error into a warning by using the flag "
                    "ignore_longer_outputs_than_inputs" % (len(lab), lengths[b], b))
        loss = np.zeros(batch, np.float64)
        grad = np.zeros(logits.shape, np.float64)
        if keep.any():
            sub = [lab for lab, k in zip(labels, keep) if k]
            loss[keep], grad[:, keep] = ctc_loss_and_grad(logits[:, keep], sub, lengths[keep],
                                                          merge)
        return loss.astype(logits.dtype), grad.astype(logits.dtype)
    return run


def _sparse_outputs(paths, batch):
    """SparseTensor parts (indices, values, dense_shape) for one list of label sequences."""
    indices = [[b, i] for b, seq in enumerate(paths) for i in range(len(seq))]
    values = [v for seq in paths for v in seq]
    longest = max((len(s) for s in paths), default=0)
    return (np.array(indices, np.int64).reshape(-1, 2), np.array(values, np.int64),
            np.array([batch, longest], np.int64))


@kernel("CTCGreedyDecoder")
def _greedy(op):
    merge = op._attrs["merge_repeated"]
    blank_attr = op._attrs.get("blank_index", -1)

    def run(inputs, lengths):
        n_time, batch, num_classes = inputs.shape
        blank = blank_attr if blank_attr >= 0 else num_classes - 1
        best = inputs.argmax(axis=-1)
        neg_sum = np.zeros((batch, 1), inputs.dtype)
        paths = []
        for b in range(batch):
            n = int(lengths[b])
            neg_sum[b, 0] = -inputs[:n, b].max(axis=-1).sum()
            seq, prev = [], -1
            for c in best[:n, b]:
                if c != blank and not (merge and c == prev):
                    seq.append(int(c))
                prev = c
            paths.append(seq)
        return _sparse_outputs(paths, batch) + (neg_sum,)
    return run


@kernel("CTCBeamSearchDecoder")
def _beam(op):
    width, top = op._attrs["beam_width"], op._attrs["top_paths"]
    merge = op._attrs["merge_repeated"]

    def run(inputs, lengths):
        batch = inputs.shape[1]
        per_path = [[] for _ in range(top)]
        log_probs = np.zeros((batch, top), inputs.dtype)
        for b in range(batch):
            found = beam_search(inputs[:int(lengths[b]), b].astype(np.float64), width, top,
                                merge)
            for k, (seq, score) in enumerate(found):
                per_path[k].append(seq)
                log_probs[b, k] = score
        parts = [_sparse_outputs(p, batch) for p in per_path]
        return tuple([p[0] for p in parts] + [p[1] for p in parts] + [p[2] for p in parts] +
                     [log_probs])
    return run
