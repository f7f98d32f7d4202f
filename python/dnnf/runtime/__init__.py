"""Compile dnnf modules for the CPU and run them from numpy."""

from .compiled import CompiledModel, InputError, compile

__all__ = ["CompiledModel", "InputError", "compile"]
