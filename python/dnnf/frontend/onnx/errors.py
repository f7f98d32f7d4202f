"""Errors raised by the ONNX importer."""

from __future__ import annotations


class OnnxImportError(Exception):
    """An ONNX model could not be imported.

    The message names what is wrong and where: the file, the node (name,
    op_type, opset and its position in the graph, shown as ``file:line``).
    """


class NodeError(Exception):
    """Raised by converters; the importer adds the node's identity."""


def describe_node(
    path: str, index: int, name: str, op_type: str, domain: str, opset: int
) -> str:
    shown = name or "<unnamed>"
    dom = f"{domain}." if domain not in ("", "ai.onnx") else ""
    return f"{path}:{index + 1}: node '{shown}' ({dom}{op_type}, opset {opset})"
