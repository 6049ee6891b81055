"""Generates the Python stubs of Starling's .proto contract into this package, once.

The stubs are not committed: they are made from ``proto/src/main/proto`` with Debian's
``protoc`` and ``grpc_python_plugin``, whose versions match Debian's python3-protobuf and
python3-grpcio runtimes. They land in ``starling/core``, ``starling/admin`` and
``starling/worker`` (the proto packages), next to this file, and are made again when a .proto
file is newer than them.
"""

import fcntl
import os
import shutil
import subprocess
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
_PROTOS = os.environ.get("STARLING_PROTO_DIR") or os.path.normpath(
    os.path.join(_HERE, "..", "..", "..", "proto", "src", "main", "proto"))
_FILES = ["starling/core/" + name for name in (
    "identifier.proto", "types.proto", "literals.proto", "tasks.proto", "workflow.proto",
    "launch_plan.proto", "execution.proto")] + [
    "starling/admin/admin.proto", "starling/worker/worker.proto"]
_MARK = os.path.join(_HERE, "worker", "worker_pb2_grpc.py")


def _stale():
    if not os.path.exists(_MARK):
        return True
    made = os.path.getmtime(_MARK)
    return any(os.path.getmtime(os.path.join(_PROTOS, f)) > made for f in _FILES
               if os.path.exists(os.path.join(_PROTOS, f)))


def ensure():
    """Makes the stubs if they are missing or older than the .proto files. Processes starting
    at once (a worker and a run) take turns on a lock, so none imports a half-written stub."""
    with open(os.path.join(_HERE, ".generate.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if _stale():
                _generate()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _generate():
    protoc = shutil.which("protoc")
    plugin = shutil.which("grpc_python_plugin")
    if protoc is None or plugin is None or not os.path.isdir(_PROTOS):
        raise ImportError(
            "starling needs its generated stubs: install protobuf-compiler and "
            "protobuf-compiler-grpc (apt-get install protobuf-compiler protobuf-compiler-grpc) "
            "and keep the SDK inside its checkout, or set STARLING_PROTO_DIR to the .proto files")
    out = os.path.dirname(_HERE)
    command = [protoc, "-I", _PROTOS, "--python_out=" + out, "--grpc_python_out=" + out,
               "--plugin=protoc-gen-grpc_python=" + plugin] + _FILES
    made = subprocess.run(command, capture_output=True, text=True)
    if made.returncode != 0:
        raise ImportError("cannot generate the stubs: " + made.stderr.strip())


ensure()
sys.modules.setdefault("starling._gen", sys.modules[__name__])
