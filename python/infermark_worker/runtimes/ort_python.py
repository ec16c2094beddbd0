"""onnxruntime's Python build, with the settings of the ort-node runtime: a control that
shows what the language and the worker protocol add on the same model."""
import onnxruntime as ort

from .common import ArrayModel, int_setting

LEVELS = {
    "disabled": ort.GraphOptimizationLevel.ORT_DISABLE_ALL,
    "basic": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
    "extended": ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
    "all": ort.GraphOptimizationLevel.ORT_ENABLE_ALL,
}



class OrtModel(ArrayModel):
    def __init__(self, session):
        self.session = session
        self.input_names = [i.name for i in session.get_inputs()]
        self.output_names = [o.name for o in session.get_outputs()]

    def call(self, feeds):
        return self.session.run(self.output_names, feeds)


def load(model, settings, _cache_dir):
    so = ort.SessionOptions()
    so.intra_op_num_threads = int_setting(settings, "intraOpNumThreads")
    so.inter_op_num_threads = int_setting(settings, "interOpNumThreads")
    level = settings.get("graphOptimizationLevel", "all")
    if level not in LEVELS:
        raise ValueError(f"graphOptimizationLevel {level!r} is not valid; allowed: {', '.join(LEVELS)}")
    so.graph_optimization_level = LEVELS[level]
    mode = settings.get("executionMode", "sequential")
    so.execution_mode = ort.ExecutionMode.ORT_PARALLEL if mode == "parallel" else ort.ExecutionMode.ORT_SEQUENTIAL
    so.enable_cpu_mem_arena = settings.get("enableCpuMemArena", True) is not False
    if settings.get("optimizedModelCache"):
        so.optimized_model_filepath = str(settings["optimizedModelCache"])
    session = ort.InferenceSession(model["path"], sess_options=so, providers=["CPUExecutionProvider"])
    return OrtModel(session)
