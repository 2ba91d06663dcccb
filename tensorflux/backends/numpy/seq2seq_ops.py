"""numpy kernel for GatherTree (ops/seq2seq_ops.py)."""

import numpy as np

from tensorflux.ops.registry import kernel


@kernel("GatherTree")
def _gather_tree(op):
    def run(step_ids, parent_ids, lengths, end_token):
        if step_ids.shape != parent_ids.shape or step_ids.ndim != 3:
            raise ValueError("step_ids and parent_ids must be rank 3 with the same shape, saw "
                             "%s and %s" % (list(step_ids.shape), list(parent_ids.shape)))
        max_time, batch, beam_width = step_ids.shape
        if lengths.shape != (batch,):
            raise ValueError("batch size dimensions step_ids.shape[1] and "
                             "max_sequence_lengths.shape[0] must match.  step_ids.shape: %s "
                             "vs. max_sequence_lengths.shape: %s"
                             % (list(step_ids.shape), list(lengths.shape)))
        end = end_token.item()
        beams = np.full(step_ids.shape, end, step_ids.dtype)
        for b in range(batch):
            n = min(max_time, int(lengths[b]))
            if n <= 0:
                continue
            for k in range(beam_width):
                beams[n - 1, b, k] = step_ids[n - 1, b, k]
                parent = parent_ids[n - 1, b, k]
                for level in range(n - 2, -1, -1):
                    if parent < 0 or parent >= beam_width:
                        raise ValueError("Saw invalid parent id %d at (batch, time, beam) == "
                                         "(%d, %d, %d)" % (parent, b, level, k))
                    beams[level, b, k] = step_ids[level, b, parent]
                    parent = parent_ids[level, b, parent]
                finished = False
                for t in range(n):
                    if finished:
                        beams[t, b, k] = end
                    elif beams[t, b, k] == end:
                        finished = True
        return beams

    return run
