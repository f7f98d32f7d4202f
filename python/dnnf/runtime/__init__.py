"""Compile dnnf modules for the CPU and run them from numpy.

``compile(model)`` generates native code once and caches it on disk
(:mod:`dnnf.runtime.cache`); ``load(directory)`` loads code exported with
``dnnf compile -o DIR`` or ``CompiledModel.save``.
"""

from .compiled import CompiledModel, InputError, TensorSpec
from .compiler import LoadError, compile, load, save
from .native import LinkError

__all__ = [
    "CompiledModel",
    "InputError",
    "LinkError",
    "LoadError",
    "TensorSpec",
    "compile",
    "load",
    "save",
]
