"""`tf.train`: the Saver and checkpoint helpers, optimizers, schedules, the global step, and
the training loops (SessionRunHooks, MonitoredSession, MonitoredTrainingSession, Supervisor).

An explicit re-export list.
"""

# --- saver ---
from tensorflux.graph.text_format import write_graph
from tensorflux.train.checkpoint_utils import checkpoints_iterator, init_from_checkpoint
from tensorflux.train.meta_graph import import_meta_graph
from tensorflux.train.saver import (
    NewCheckpointReader,
    Saver,
    SaverDef,
    checkpoint_exists,
    export_meta_graph,
    generate_checkpoint_state_proto,
    get_checkpoint_mtimes,
    get_checkpoint_state,
    latest_checkpoint,
    list_variables,
    load_checkpoint,
    load_variable,
    remove_checkpoint,
    update_checkpoint_state,
)

# isort: split
# --- training loops: hooks, monitored sessions ---
from tensorflux.train import queue_runner  # noqa: F401 - tf.train.queue_runner.QueueRunner
from tensorflux.train.basic_loops import basic_train_loop
from tensorflux.train.basic_session_run_hooks import (
    CheckpointSaverHook,
    CheckpointSaverListener,
    FeedFnHook,
    FinalOpsHook,
    GlobalStepWaiterHook,
    LoggingTensorHook,
    NanLossDuringTrainingError,
    NanTensorHook,
    SecondOrStepTimer,
    StepCounterHook,
    StopAtStepHook,
    SummarySaverHook,
)
from tensorflux.train.coordinator import Coordinator, LooperThread, start_queue_runners
from tensorflux.train.example_protos import (
    BytesList,
    Example,
    Feature,
    FeatureList,
    FeatureLists,
    Features,
    FloatList,
    Int64List,
    SequenceExample,
)
from tensorflux.train.input import (
    batch,
    batch_join,
    input_producer,
    limit_epochs,
    match_filenames_once,
    range_input_producer,
    shuffle_batch,
    shuffle_batch_join,
    slice_input_producer,
    string_input_producer,
)
from tensorflux.train.maybe_batch import (
    maybe_batch,
    maybe_batch_join,
    maybe_shuffle_batch,
    maybe_shuffle_batch_join,
)
from tensorflux.train.monitored_session import (
    ChiefSessionCreator,
    MonitoredSession,
    MonitoredTrainingSession,
    Scaffold,
    SessionCreator,
    SingularMonitoredSession,
    WorkerSessionCreator,
)
from tensorflux.train.profiler_hook import ProfilerHook
from tensorflux.train.queue_runner import QueueRunner, add_queue_runner
from tensorflux.train.session_manager import SessionManager
from tensorflux.train.session_run_hook import (
    SessionRunArgs,
    SessionRunContext,
    SessionRunHook,
    SessionRunValues,
)
from tensorflux.train.supervisor import Supervisor

# isort: split
# --- optimizers, schedules, global step ---
from tensorflux.summary.writer import summary_iterator
from tensorflux.train import experimental
from tensorflux.train.adadelta import AdadeltaOptimizer
from tensorflux.train.adagrad import AdagradOptimizer
from tensorflux.train.adam import AdamOptimizer
from tensorflux.train.ftrl import FtrlOptimizer
from tensorflux.train.gradient_descent import GradientDescentOptimizer
from tensorflux.train.learning_rate_decay import (
    cosine_decay,
    cosine_decay_restarts,
    exponential_decay,
    inverse_time_decay,
    linear_cosine_decay,
    natural_exp_decay,
    noisy_linear_cosine_decay,
    piecewise_constant,
    piecewise_constant_decay,
    polynomial_decay,
)
from tensorflux.train.momentum import MomentumOptimizer
from tensorflux.train.moving_averages import ExponentialMovingAverage
from tensorflux.train.optimizer import Optimizer
from tensorflux.train.proximal import (
    AdagradDAOptimizer,
    ProximalAdagradOptimizer,
    ProximalGradientDescentOptimizer,
)
from tensorflux.train.rmsprop import RMSPropOptimizer
from tensorflux.train.training_util import (
    assert_global_step,
    create_global_step,
    get_global_step,
    get_or_create_global_step,
    global_step,
)
from tensorflux.train.warm_starting_util import warm_start

# isort: split
# --- distributed: cluster descriptions, replica placement ---
from tensorflux.distributed.cluster import ClusterDef, ClusterSpec, JobDef, ServerDef
from tensorflux.distributed.device_setter import replica_device_setter
from tensorflux.distributed.server import Server

# isort: split
# --- synchronous replicas ---
from tensorflux.train.sync_replicas_optimizer import SyncReplicasOptimizer
