"""Dialect op classes for dnnf."""
