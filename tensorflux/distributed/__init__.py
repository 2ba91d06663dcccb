"""Distributed execution: cluster descriptions, device placement for replicas, servers.

    cluster.py        tf.train.ClusterSpec and the ClusterDef/ServerDef messages
    device_setter.py  tf.train.replica_device_setter (variables to ps tasks, round robin)
    server.py         tf.train.Server: a task, serving over gRPC at its cluster address
    master.py         a session on a server: per-task partitions of each step, run in order
    worker.py         a task's runtime: registered graphs, its variables, partition runs
    protocol.py       the messages tasks exchange (TensorProto tensors, TF error codes)

The engine is gRPC, as in TensorFlow, rather than Ray (which the design first named): TF1
programs name each task's host:port in their ClusterSpec and start each task as its own
process, in any order; a gRPC server at exactly that address is what those programs expect,
and it needs no cluster manager, no extra processes and no bootstrap of its own. Placement
and partitioning stay plan stages that work on device names (client/plan.py's placer with
the cluster's devices, passes/transfers.py's scheduler), so the core is untouched.
"""
