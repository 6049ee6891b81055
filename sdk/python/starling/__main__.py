"""python3 -m starling register|worker|run: register a module, serve its tasks, run a workflow."""

import argparse
import logging
import os
import signal
import subprocess
import sys
import time

import grpc

from starling import remote, runtime, types
from starling.core import execution_pb2


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m starling",
                                     description="Starling's Python SDK: register a module's "
                                     "tasks and workflows, serve its tasks, run a workflow.")
    parser.add_argument("--server", default=os.environ.get("STARLING_SERVER",
                                                           remote.DEFAULT_SERVER),
                        help="admin gRPC address host:port (default: %(default)s); a worker"
                        " takes several, separated by commas, and moves to the next when its"
                        " stream breaks")
    parser.add_argument("-p", "--project", default="default")
    parser.add_argument("-d", "--domain", default="development")
    parser.add_argument("--api-key", default=None,
                        help="API key (default: the STARLING_API_KEY environment variable)")
    commands = parser.add_subparsers(dest="command", required=True)

    register = commands.add_parser("register", help="register a module's tasks, workflows and"
                                   " launch plans")
    register.add_argument("module", help="a module name or the path of a .py file")
    register.add_argument("--version", help="the version (default: a hash of the module's code)")

    worker = commands.add_parser("worker", help="serve a module's tasks")
    worker.add_argument("module")
    worker.add_argument("--version")
    worker.add_argument("--capacity", type=int, default=256,
                        help="most attempts held at once (default: %(default)s)")
    worker.add_argument("--threads", type=int, default=1,
                        help="threads that run tasks (default: %(default)s)")
    worker.add_argument("--processes", type=int, default=1,
                        help="worker processes (default: %(default)s)")

    run = commands.add_parser("run", help="register, launch a workflow, follow it, print its"
                              " outputs")
    run.add_argument("module")
    run.add_argument("workflow", help="the workflow's function name")
    run.add_argument("--version")
    run.add_argument("--no-worker", action="store_true",
                     help="do not serve the module's tasks from this process meanwhile")
    args, rest = parser.parse_known_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        if args.command == "register":
            return _register(args)
        if args.command == "worker":
            if rest:
                parser.error("unknown arguments: " + " ".join(rest))
            return _worker(args)
        return _run(args, rest)
    except grpc.RpcError as error:
        print(f"error: {error.code().name}: {error.details()}", file=sys.stderr)
        return 1
    except (LookupError, ValueError, TypeError, FileNotFoundError, ImportError,
            TimeoutError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _client(args):
    return remote.Client(args.server.split(",")[0], args.project, args.domain, args.api_key)


def _register(args):
    module = remote.Module(args.module, args.version)
    client = _client(args)
    try:
        client.register(module)
    finally:
        client.close()
    print(f"registered {len(module.tasks)} tasks, {len(module.workflows)} workflows and "
          f"{len(module.launch_plans)} launch plans of {module.name} at version {module.version}"
          f" (queue {module.queue})")
    return 0


def _worker(args):
    if args.processes > 1:
        return _processes(args)
    module = remote.Module(args.module, args.version)
    worker = runtime.Worker(module, args.server, args.project, args.domain, args.capacity,
                            args.threads, args.api_key)
    signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    try:
        worker.run()
    except KeyboardInterrupt:
        worker.stop()
    except grpc.RpcError as error:
        print(f"error: {error.code().name}: {error.details()}", file=sys.stderr)
        return 1
    return 0


def _processes(args):
    command = [sys.executable, "-m", "starling", "--server", args.server, "-p", args.project,
               "-d", args.domain, "worker", args.module, "--capacity", str(args.capacity),
               "--threads", str(args.threads)]
    if args.version:
        command += ["--version", args.version]
    children = [subprocess.Popen(command) for _ in range(args.processes)]

    def stop(*_):
        for child in children:
            child.terminate()
    signal.signal(signal.SIGTERM, stop)
    try:
        return max(child.wait() for child in children)
    except KeyboardInterrupt:
        stop()
        return max(child.wait() for child in children)


def _inputs(workflow, rest):
    """--name VALUE pairs as the workflow's typed inputs (VALUE is JSON, or a bare string, or
    @FILE for a file that holds it)."""
    hints = workflow.interface.inputs
    values = {}
    i = 0
    while i < len(rest):
        flag = rest[i]
        if not flag.startswith("--"):
            raise ValueError(f"expected --INPUT VALUE, got {flag!r}")
        name, _, inline = flag[2:].partition("=")
        if name not in hints:
            raise ValueError(f"workflow {workflow.fn.__name__} has no input {name!r} (inputs: "
                             + ", ".join(hints) + ")")
        if inline:
            text = inline
            i += 1
        else:
            if i + 1 >= len(rest):
                raise ValueError(f"--{name} needs a value")
            text = rest[i + 1]
            i += 2
        if text.startswith("@"):
            with open(text[1:], encoding="utf-8") as source:
                text = source.read()
        values[name] = types.from_json(text, hints[name], "--" + name)
    return values


def _run(args, rest):
    module = remote.Module(args.module, args.version)
    workflow = module.workflow(args.workflow)
    inputs = _inputs(workflow, rest)
    client = _client(args)
    worker = None
    try:
        client.register(module)
        if not args.no_worker:
            worker = runtime.Worker(module, args.server, args.project, args.domain,
                                    api_key=args.api_key)
            worker.start()
        name = client.launch(module, workflow.name, inputs)
        print(f"execution {name} of {workflow.name} at version {module.version}",
              file=sys.stderr)
        started = time.monotonic()
        phase, error = client.wait(name, _progress())
        print(file=sys.stderr)
        phase_name = execution_pb2.WorkflowExecution.Phase.Name(phase)
        if phase != execution_pb2.WorkflowExecution.SUCCEEDED:
            print(f"execution {name} {phase_name}: {error.code}: {error.message}",
                  file=sys.stderr)
            return 1
        outputs = client.outputs(name, workflow)
        print(f"execution {name} SUCCEEDED in {time.monotonic() - started:.2f}s",
              file=sys.stderr)
        if list(outputs) == ["o0"]:
            print(types.to_json(outputs["o0"]))
        else:
            print(types.to_json(outputs))
        return 0
    finally:
        if worker is not None:
            worker.stop()
        client.close()


def _progress():
    if not sys.stderr.isatty():
        return None

    def show(progress):
        if progress.tasks:
            print(f"\r{progress.tasks_ended}/{progress.tasks} tasks", end="", file=sys.stderr)
    return show


if __name__ == "__main__":
    sys.exit(main())
