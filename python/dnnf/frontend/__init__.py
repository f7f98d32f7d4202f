"""Model frontends: ONNX -> dnnf dialect."""
