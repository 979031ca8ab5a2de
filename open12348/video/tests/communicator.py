"""channels.testing.WebsocketCommunicator without Daphne.

`channels.testing/__init__` also imports the live-server test case, which needs Daphne; the project
serves with uvicorn and does not install it. The communicator itself needs only asgiref, so when
Daphne is missing its module is loaded on its own.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

try:
    from channels.testing import WebsocketCommunicator
except ModuleNotFoundError:  # no daphne
    import channels

    folder = Path(channels.__file__).parent / "testing"
    if "channels.testing" not in sys.modules:
        package = types.ModuleType("channels.testing")
        package.__path__ = [str(folder)]
        sys.modules["channels.testing"] = package
    spec = importlib.util.spec_from_file_location("channels.testing.websocket", folder / "websocket.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["channels.testing.websocket"] = module
    spec.loader.exec_module(module)
    WebsocketCommunicator = module.WebsocketCommunicator

__all__ = ["WebsocketCommunicator"]
