"""Native extension of dnnf (built against the bindings' libMLIRPythonCAPI.so)."""
