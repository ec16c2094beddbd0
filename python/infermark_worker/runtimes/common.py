"""What the runtime modules share: a numpy-in, numpy-out model and cache folders."""
import os

import numpy as np


class ArrayModel:
    """A loaded model whose call takes and returns numpy arrays by name.
    Subclasses set input_names, output_names and implement call; extra holds facts about the load."""
    input_names = ()
    output_names = ()
    extra = {}

    def prepare(self, feeds):
        """Turn numpy feeds into what call takes; not timed."""
        return feeds

    def call(self, prepared):
        raise NotImplementedError

    def outputs(self, out):
        """Outputs of call as numpy arrays by name."""
        if isinstance(out, dict):
            return {k: np.asarray(v) for k, v in out.items()}
        return {name: np.asarray(v) for name, v in zip(self.output_names, out)}


def cache_folder(cache_dir, runtime, key):
    """cache_dir/runtime/key, created; None when no cache folder was given."""
    if not cache_dir:
        return None
    path = os.path.join(cache_dir, runtime, key)
    os.makedirs(path, exist_ok=True)
    return path


def int_setting(settings, name, default=0):
    value = settings.get(name, default)
    return default if value is None else int(value)
