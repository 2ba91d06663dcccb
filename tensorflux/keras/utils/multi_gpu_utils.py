"""`multi_gpu_model` (TF 1.x): data parallelism over several GPUs.

tensorflux runs a graph as one program, so a replicated model computes exactly what the
model itself computes: when the machine has the GPUs asked for, the model is returned as is.
The argument checks and their messages are TF 1.x's.

Example:
    >>> parallel = tf.keras.utils.multi_gpu_model(model, gpus=2)
"""


def _available_devices():
    from tensorflux.client import device_lib

    return [d.name for d in device_lib.list_local_devices()]


def _normalize(name):
    return name.replace("/device:", "/").lower()


def multi_gpu_model(model, gpus, cpu_merge=True, cpu_relocation=False):
    """`model` replicated on `gpus` GPUs (a count >= 2 or a list of GPU ids).

    Raises:
        ValueError: for fewer than two GPUs, or GPUs the machine does not have.
    """
    if isinstance(gpus, (list, tuple)):
        if len(gpus) <= 1:
            raise ValueError("For multi-gpu usage to be effective, call `multi_gpu_model` with "
                             "`len(gpus) >= 2`. Received: `gpus=%s`" % (gpus,))
        target_gpu_ids = list(gpus)
        num_gpus = len(gpus)
    else:
        if gpus <= 1:
            raise ValueError("For multi-gpu usage to be effective, call `multi_gpu_model` with "
                             "`gpus >= 2`. Received: `gpus=%s`" % (gpus,))
        target_gpu_ids = list(range(gpus))
        num_gpus = gpus
    available = [_normalize(name) for name in _available_devices()]
    target_devices = ["/cpu:0"] + ["/gpu:%d" % i for i in target_gpu_ids]
    for device in target_devices:
        if device not in available:
            raise ValueError("To call `multi_gpu_model` with `gpus=%s`, we expect the "
                             "following devices to be available: %s. However this machine "
                             "only has: %s. Try reducing `gpus`."
                             % (gpus, target_devices, available))
    del num_gpus, cpu_merge, cpu_relocation
    return model
