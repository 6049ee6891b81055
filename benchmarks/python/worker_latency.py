"""What a task on a Python worker adds to an execution's latency against the in-JVM noop.

A one-node workflow ``one(x)`` registered twice: its task ``echo`` once as the SDK registers it
(type worker, served by one worker of the SDK in this process) and once with the same
interface but type ``noop``; RUNS executions of each, one at a time and alternating, timed from
the launch to the end seen on WatchExecution. The first tenth warms up and is not counted.

    python3 benchmarks/python/worker_latency.py SERVER [RUNS]
"""
import copy
import math
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "sdk", "python"))

from starling import task, workflow  # noqa: E402


@task
def echo(x: int) -> int:
    return x


@workflow
def one(x: int) -> None:
    echo(x=x)


def _percentile(sorted_values, rank):
    return sorted_values[min(len(sorted_values) - 1, math.ceil(rank * len(sorted_values)) - 1)]


def _register_noop(client, module):
    """The module's task, workflow and launch plan at version ``noop``, the task of type noop."""
    from starling.admin import admin_pb2
    from starling.core import identifier_pb2
    for t in module.tasks:
        template = t.template(module.queue)
        template.type = "noop"
        client.admin.CreateTask(admin_pb2.TaskCreateRequest(
            id=client._id(identifier_pb2.TASK, t.name, "noop"), spec=template))
    for w in module.workflows:
        template = w.template()
        for node in template.nodes:
            client._resolve(node, "noop")
        client.admin.CreateWorkflow(admin_pb2.WorkflowCreateRequest(
            id=client._id(identifier_pb2.WORKFLOW, w.name, "noop"), spec=template))
    for plan in module.launch_plans:
        client.admin.CreateLaunchPlan(admin_pb2.LaunchPlanCreateRequest(
            id=client._id(identifier_pb2.LAUNCH_PLAN, plan.name, "noop"),
            spec=client._plan_spec(plan, "noop")))


def main(server, runs):
    from starling import remote, runtime
    module = remote.Module(__file__, "worker")
    client = remote.Client(server, "bench", "latency")
    client.register(module)
    _register_noop(client, module)
    worker = runtime.Worker(module, server, "bench", "latency", capacity=16)
    worker.start()
    noop_module = copy.copy(module)
    noop_module.version = "noop"
    plan = module.workflows[0].name
    samples = {"worker": [], "noop": []}
    warmup = runs // 10
    for i in range(runs):
        for kind, mod in (("worker", module), ("noop", noop_module)):
            started = time.perf_counter()
            name = client.launch(mod, plan, {"x": i})
            client.wait(name)
            if i >= warmup:
                samples[kind].append(time.perf_counter() - started)
    worker.stop()
    print(f"machine: {os.cpu_count()} cores; {runs - warmup} executions of each, one at a time")
    for kind in ("noop", "worker"):
        values = sorted(samples[kind])
        print(f"result {kind} p50={_percentile(values, .5) * 1e3:.1f}ms"
              f" p99={_percentile(values, .99) * 1e3:.1f}ms max={values[-1] * 1e3:.1f}ms")
    w, n = sorted(samples["worker"]), sorted(samples["noop"])
    print(f"result added p50={(_percentile(w, .5) - _percentile(n, .5)) * 1e3:.1f}ms"
          f" p99={(_percentile(w, .99) - _percentile(n, .99)) * 1e3:.1f}ms")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
