"""`tf.train`: the Saver and checkpoint helpers, optimizers, schedules and the global step.

An explicit re-export list.
"""

# --- saver ---
from tensorflux.train.saver import (
    NewCheckpointReader,
    Saver,
    SaverDef,
    checkpoint_exists,
    export_meta_graph,
    get_checkpoint_mtimes,
    get_checkpoint_state,
    latest_checkpoint,
    list_variables,
    load_checkpoint,
    load_variable,
    remove_checkpoint,
    update_checkpoint_state,
)

# --- optimizers, schedules, global step ---
