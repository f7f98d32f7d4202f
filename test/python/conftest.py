import pytest
from mlir import ir

import dnnf  # noqa: F401  (registers the dialect for every new Context)


@pytest.fixture
def ctx():
    with ir.Context() as context, ir.Location.unknown():
        yield context
