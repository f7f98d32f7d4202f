import pytest

from dnnf.gpu import validate
from dnnf.gpu.validate import spirv_val_path


@pytest.fixture(scope="session")
def device():
    """The Vulkan device, or a skip saying why there is none."""
    from dnnf.gpu.vulkan import available, default_device

    ok, why = available()
    if not ok:
        pytest.skip(f"no Vulkan device: {why}")
    return default_device()


@pytest.fixture(scope="session")
def spirv_val():
    if spirv_val_path() is None:
        pytest.skip("spirv-val not found (apt-get install spirv-tools)")
    return validate
