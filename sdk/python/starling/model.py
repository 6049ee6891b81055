"""Tasks, workflows, map tasks and launch plans, flytekit's way.

A ``@task`` is a typed Python function that Starling runs on a worker; a ``@workflow`` is a
function over tasks that is traced, once, into a WorkflowTemplate: its body runs with
placeholders (promises) for its inputs, and each task call adds a node. Called outside a
workflow being traced, tasks and workflows run as plain Python functions, so they can be
unit-tested without a server.
"""

import dataclasses
import datetime
import functools
import inspect
import typing

from google.protobuf import duration_pb2

from starling import _gen  # noqa: F401
from starling import types
from starling.core import identifier_pb2, tasks_pb2, types_pb2, workflow_pb2

TASK_TYPE = "worker"


@dataclasses.dataclass(frozen=True)
class Resources:
    """Resource hints (flytekit's Resources): kept on the task, not enforced."""
    cpu: typing.Optional[str] = None
    mem: typing.Optional[str] = None
    gpu: typing.Optional[str] = None
    ephemeral_storage: typing.Optional[str] = None

    def as_map(self):
        names = {"cpu": self.cpu, "memory": self.mem, "gpu": self.gpu,
                 "ephemeral-storage": self.ephemeral_storage}
        return {k: v for k, v in names.items() if v is not None}


class Interface:
    """The typed inputs and outputs of a function: outputs o0, o1, ... as flytekit names them."""

    def __init__(self, fn, what):
        where = f"{what} {fn.__module__}.{fn.__qualname__}"
        hints = typing.get_type_hints(fn)
        self.inputs = {}
        for name, param in inspect.signature(fn).parameters.items():
            if name not in hints:
                raise TypeError(f"{where}: parameter {name!r} has no type hint")
            types.literal_type(hints[name], f"{where}: parameter {name!r}")
            self.inputs[name] = hints[name]
        result = hints.get("return", type(None))
        if result is type(None):
            self.outputs = {}
        elif typing.get_origin(result) is tuple:
            self.outputs = {f"o{i}": t for i, t in enumerate(typing.get_args(result))}
        else:
            self.outputs = {"o0": result}
        for name, hint in self.outputs.items():
            types.literal_type(hint, f"{where}: output {name}")

    def proto(self):
        def variables(hints):
            return {name: types_pb2.Variable(type=types.literal_type(hint, name))
                    for name, hint in hints.items()}
        return types_pb2.TypedInterface(inputs=variables(self.inputs),
                                        outputs=variables(self.outputs))

    def outputs_of(self, value):
        """The task's return value as {o0: ..., o1: ...}."""
        if not self.outputs:
            return {}
        if len(self.outputs) == 1:
            return {"o0": value}
        return {f"o{i}": v for i, v in enumerate(value)}


class _Tracing:
    """The workflow being traced: the nodes made so far."""
    current = None

    def __init__(self):
        self.nodes = []
        self.made = 0

    def node_id(self):
        self.made += 1
        return f"n{self.made - 1}"


class Promise:
    """A placeholder for a value a workflow gets at run time: a workflow input or a node output."""

    def __init__(self, binding, node=None, hint=None):
        self.binding = binding
        self.node = node
        self.hint = hint

    def with_overrides(self, retries=None, timeout=None, requests=None, limits=None, **_):
        """Per node: retries and timeout apply; requests and limits are resource hints."""
        if self.node is None:
            raise TypeError("with_overrides applies to the output of a task or map task call")
        if retries is not None:
            self.node.metadata.retries = int(retries)
        if timeout is not None:
            self.node.metadata.timeout.CopyFrom(_duration(timeout))
        return self

    def __bool__(self):
        raise TypeError("a workflow cannot branch on a task's output in Python: the value exists"
                        " only when the workflow runs; use conditional(...).if_(...)")

    def _compare(self, operator, other):
        return Condition.comparison(operator, self, other)

    def __eq__(self, other):
        return self._compare(workflow_pb2.Comparison.EQ, other)

    def __ne__(self, other):
        return self._compare(workflow_pb2.Comparison.NEQ, other)

    def __gt__(self, other):
        return self._compare(workflow_pb2.Comparison.GT, other)

    def __ge__(self, other):
        return self._compare(workflow_pb2.Comparison.GTE, other)

    def __lt__(self, other):
        return self._compare(workflow_pb2.Comparison.LT, other)

    def __le__(self, other):
        return self._compare(workflow_pb2.Comparison.LTE, other)

    __hash__ = object.__hash__


class Condition:
    """A branch condition over workflow values: comparisons joined with ``&`` and ``|``."""

    def __init__(self, build):
        self._build = build  # (inputs: {binding key: var}) -> BooleanExpression

    @staticmethod
    def comparison(operator, left, right):
        def build(inputs):
            return workflow_pb2.BooleanExpression(comparison=workflow_pb2.Comparison(
                operator=operator, left=_operand(left, inputs), right=_operand(right, inputs)))
        return Condition(build)

    def __and__(self, other):
        return self._join(workflow_pb2.Conjunction.AND, other)

    def __or__(self, other):
        return self._join(workflow_pb2.Conjunction.OR, other)

    def _join(self, operator, other):
        return Condition(lambda inputs: workflow_pb2.BooleanExpression(
            conjunction=workflow_pb2.Conjunction(operator=operator, left=self._build(inputs),
                                                 right=other._build(inputs))))

    def __bool__(self):
        raise TypeError("combine conditions with & and |, not 'and' and 'or'")


def _operand(value, inputs):
    """A promise becomes an input of the branch node (one per distinct value); a constant a
    literal of its own Python type."""
    if isinstance(value, Promise):
        key = value.binding.SerializeToString()
        if key not in inputs:
            inputs[key] = (f"v{len(inputs)}", value)
        return workflow_pb2.Operand(var=inputs[key][0])
    if isinstance(value, (bool, int, float, str, datetime.datetime, datetime.timedelta)):
        return workflow_pb2.Operand(literal=types.to_literal(value, type(value)))
    raise TypeError(f"a condition compares workflow values and constants, got {value!r}")


class _Conditional:
    """``conditional(name).if_(c).then(call).elif_(c).then(call).else_().then(call)``, flytekit's
    branches: traced into one branch node whose cases run the calls; run locally, only the call
    of the first case that holds runs."""

    def __init__(self, name):
        self.name = name
        self.cases = []          # (Condition, Promise)
        self.pending = None
        self.local = _Tracing.current is None
        self.chosen = None       # local: the taken case's value, once known
        self.taken = False

    def if_(self, condition):
        if self.local:
            self._local_case(bool(condition))
        else:
            self.pending = condition
        return self

    elif_ = if_

    def _local_case(self, holds):
        _LocalBranch.skipping = self.taken or not holds

    def then(self, value):
        if self.local:
            if not _LocalBranch.skipping and not self.taken:
                self.taken = True
                self.chosen = value
            _LocalBranch.skipping = False
            return self
        if not isinstance(value, Promise) or value.node is None:
            raise TypeError(f"conditional {self.name!r}: then() takes a task call")
        self.cases.append((self.pending, value))
        return self

    def else_(self):
        if self.local:
            self._local_case(True)
        else:
            self.pending = None
        return _Else(self)

    def _finish(self, otherwise=None, fail=None):
        if self.local:
            _LocalBranch.skipping = False
            if not self.taken and fail is not None:
                raise ValueError(f"conditional {self.name!r}: {fail}")
            return self.chosen if self.taken else otherwise
        tracing = _Tracing.current
        inner = {id(p.node) for _, p in self.cases}
        if otherwise is not None:
            inner.add(id(otherwise.node))
        targets = [t for n, t in tracing.nodes if id(n) in inner]
        tracing.nodes = [(n, t) for n, t in tracing.nodes if id(n) not in inner]
        inputs = {}
        branch = workflow_pb2.BranchNode()
        for condition, promise in self.cases:
            branch.cases.append(workflow_pb2.IfBlock(condition=condition._build(inputs),
                                                     then_node=promise.node))
        if otherwise is not None:
            branch.else_node.CopyFrom(otherwise.node)
        elif fail is not None:
            branch.else_fail = fail
        node = workflow_pb2.Node(id=tracing.node_id(), branch_node=branch)
        node.metadata.SetInParent()
        for var, promise in inputs.values():
            node.inputs.append(workflow_pb2.Binding(var=var, binding=promise.binding))
            for upstream in _upstream(promise):
                if upstream not in node.upstream_node_ids:
                    node.upstream_node_ids.append(upstream)
        tracing.nodes.append((node, _BranchTarget(targets)))
        first = self.cases[0][1]
        return _outputs(node, {first.binding.promise.var: first.hint})


class _Else:
    def __init__(self, conditional):
        self.conditional = conditional

    def then(self, value):
        if self.conditional.local:
            if not self.conditional.taken and not _LocalBranch.skipping:
                self.conditional.taken = True
                self.conditional.chosen = value
            return self.conditional._finish()
        return self.conditional._finish(otherwise=value)

    def fail(self, message):
        return self.conditional._finish(fail=message)


class _LocalBranch:
    """Whether the calls being made locally belong to a case not taken (they do not run)."""
    skipping = False


class _BranchTarget:
    """What a branch node's cases run (tasks and map tasks), for the module's list of tasks."""

    def __init__(self, targets):
        self.targets = targets


def conditional(name):
    """Starts a branch (flytekit's ``conditional``)."""
    return _Conditional(name)


class _LocalList(list):
    """A map task's outputs when run locally, accepting with_overrides as a traced call does."""

    def with_overrides(self, **_):
        return self


def _duration(value):
    span = duration_pb2.Duration()
    span.FromTimedelta(value if isinstance(value, datetime.timedelta)
                       else datetime.timedelta(seconds=float(value)))
    return span


def _binding(value, hint):
    if isinstance(value, Promise):
        return value.binding
    if isinstance(value, (list, tuple)) and any(isinstance(v, Promise) for v in value):
        item = typing.get_args(hint)[0] if typing.get_args(hint) else None
        return workflow_pb2.BindingData(collection=workflow_pb2.BindingDataCollection(
            bindings=[_binding(v, item) for v in value]))
    return workflow_pb2.BindingData(literal=types.to_literal(value, hint))


class Task:
    """A function that Starling runs on a worker (see :func:`task`)."""

    def __init__(self, fn, retries=0, timeout=None, cache=False, cache_version="",
                 requests=None, limits=None, queue=None):
        self.fn = fn
        self.name = f"{fn.__module__}.{fn.__name__}"
        self.interface = Interface(fn, "task")
        self.retries = retries
        self.timeout = timeout
        self.cache = cache
        self.cache_version = cache_version
        self.requests = requests
        self.limits = limits
        self.queue = queue
        if cache and not cache_version:
            raise TypeError(f"task {self.name}: cache=True needs a cache_version")
        functools.update_wrapper(self, fn)

    def template(self, queue):
        metadata = tasks_pb2.TaskMetadata(
            retries=tasks_pb2.RetryStrategy(retries=self.retries),
            cache=tasks_pb2.CacheConfig(enabled=bool(self.cache), version=self.cache_version))
        if self.timeout is not None:
            metadata.timeout.CopyFrom(_duration(self.timeout))
        if self.requests or self.limits:
            metadata.resources.CopyFrom(tasks_pb2.Resources(
                requests=self.requests.as_map() if self.requests else {},
                limits=self.limits.as_map() if self.limits else {}))
        return tasks_pb2.TaskTemplate(type=TASK_TYPE, interface=self.interface.proto(),
                                      metadata=metadata, queue=self.queue or queue)

    def run(self, inputs):
        """Runs the function on {name: value}; returns {o0: value, ...}."""
        return self.interface.outputs_of(self.fn(**inputs))

    def __call__(self, *args, **kwargs):
        if _Tracing.current is None:
            return None if _LocalBranch.skipping else self.fn(*args, **kwargs)
        if args:
            raise TypeError(f"task {self.name}: in a workflow, pass inputs by name")
        node = _node(self, kwargs, workflow_pb2.Node(
            task_node=workflow_pb2.TaskNode(task_id=_task_ref(self))))
        return _outputs(node, self.interface.outputs)


def _task_ref(task):
    # Project, domain and version are filled in at registration (Client._resolve).
    return identifier_pb2.Identifier(resource_type=identifier_pb2.TASK, name=task.name)


def _node(target, kwargs, node):
    tracing = _Tracing.current
    node.id = tracing.node_id()
    node.metadata.SetInParent()
    inputs = target.interface.inputs
    for name, value in kwargs.items():
        if name not in inputs:
            raise TypeError(f"{target.name} has no input {name!r} (inputs: {', '.join(inputs)})")
        hint = inputs[name]
        if isinstance(target, MapTask) and name not in target.broadcast:
            hint = typing.List[hint]
        node.inputs.append(workflow_pb2.Binding(var=name, binding=_binding(value, hint)))
        for upstream in _upstream(value):
            if upstream not in node.upstream_node_ids:
                node.upstream_node_ids.append(upstream)
    missing = [n for n in inputs if n not in kwargs]
    if missing:
        raise TypeError(f"{target.name}: missing input(s) {', '.join(missing)}")
    tracing.nodes.append((node, target))
    return node


def _upstream(value):
    if isinstance(value, Promise):
        return [value.node.id] if value.node is not None else []
    if isinstance(value, (list, tuple)):
        return [u for v in value for u in _upstream(v)]
    return []


def _outputs(node, outputs):
    promises = [Promise(workflow_pb2.BindingData(
        promise=workflow_pb2.OutputReference(node_id=node.id, var=name)), node, hint)
        for name, hint in outputs.items()]
    if not promises:
        return Promise(None, node)
    return promises[0] if len(promises) == 1 else tuple(promises)


class MapTask:
    """A task run once per item of its list inputs (see :func:`map_task`)."""

    def __init__(self, task, concurrency=0, min_success_ratio=None, min_successes=None,
                 broadcast=()):
        if not isinstance(task, Task):
            raise TypeError("map_task takes a @task")
        self.task = task
        self.name = task.name
        self.interface = task.interface
        self.concurrency = concurrency or 0
        self.min_success_ratio = min_success_ratio
        self.min_successes = min_successes
        self.broadcast = tuple(broadcast)

    def __call__(self, **kwargs):
        if _Tracing.current is None:
            return None if _LocalBranch.skipping else self._run_locally(kwargs)
        spec = workflow_pb2.MapNode(task_id=_task_ref(self.task), concurrency=self.concurrency,
                                    broadcast_inputs=list(self.broadcast))
        if self.min_success_ratio is not None:
            spec.min_success_ratio = self.min_success_ratio
        if self.min_successes is not None:
            spec.min_successes = self.min_successes
        node = _node(self, kwargs, workflow_pb2.Node(map_node=spec))
        return _outputs(node, {k: typing.List[v] for k, v in self.interface.outputs.items()})

    def _run_locally(self, kwargs):
        mapped = [k for k in kwargs if k not in self.broadcast]
        sizes = {len(kwargs[k]) for k in mapped}
        if len(sizes) > 1:
            raise ValueError(f"map_task({self.name}): the lists have different lengths")
        size = sizes.pop() if sizes else 0
        results = []
        for i in range(size):
            item = {k: (kwargs[k][i] if k in mapped else kwargs[k]) for k in kwargs}
            results.append(self.task.fn(**item))
        if len(self.interface.outputs) > 1:
            return tuple(_LocalList(col) for col in zip(*results))
        return _LocalList(results)


def map_task(task, concurrency=None, min_success_ratio=None, min_successes=None, **_):
    """Runs ``task`` once per item of its inputs' lists, at most ``concurrency`` at once."""
    return MapTask(task, concurrency=concurrency, min_success_ratio=min_success_ratio,
                   min_successes=min_successes)


def task(fn=None, *, retries=0, timeout=None, cache=False, cache_version="", requests=None,
         limits=None, queue=None, **_):
    """Makes a function a task. ``retries`` and ``timeout`` (seconds or a timedelta) apply per
    attempt; ``cache`` with ``cache_version`` reuses outputs for the same inputs; ``requests``
    and ``limits`` are resource hints; ``queue`` names the workers that run it (the module's
    by default)."""
    def wrap(f):
        return Task(f, retries=retries, timeout=timeout, cache=cache,
                    cache_version=cache_version, requests=requests, limits=limits, queue=queue)
    return wrap(fn) if fn is not None else wrap


class Workflow:
    """A function over tasks, traced into a WorkflowTemplate (see :func:`workflow`)."""

    def __init__(self, fn, failure_policy=None):
        self.fn = fn
        self.name = f"{fn.__module__}.{fn.__name__}"
        self.interface = Interface(fn, "workflow")
        self.failure_policy = failure_policy
        self._traced = None
        functools.update_wrapper(self, fn)

    def trace(self):
        """The workflow's nodes and output bindings, traced once."""
        if self._traced is not None:
            return self._traced
        if _Tracing.current is not None:
            raise TypeError(f"workflow {self.name}: calling a workflow from a workflow is not"
                            " supported yet; call its launch plan's tasks directly")
        tracing = _Tracing()
        _Tracing.current = tracing
        try:
            inputs = {name: Promise(workflow_pb2.BindingData(workflow_input=name), hint=hint)
                      for name, hint in self.interface.inputs.items()}
            result = self.fn(**inputs)
        finally:
            _Tracing.current = None
        values = self.interface.outputs_of(result)
        outputs = []
        for name, value in values.items():
            outputs.append(workflow_pb2.Binding(
                var=name, binding=_binding(value, self.interface.outputs[name])))
        self._traced = (tracing.nodes, outputs)
        return self._traced

    def tasks(self):
        nodes, _ = self.trace()
        seen = {}
        targets = [target for _, target in nodes]
        while targets:
            target = targets.pop()
            if isinstance(target, _BranchTarget):
                targets.extend(target.targets)
                continue
            task_ = target.task if isinstance(target, MapTask) else target
            seen[task_.name] = task_
        return list(seen.values())

    def template(self):
        nodes, outputs = self.trace()
        metadata = workflow_pb2.WorkflowMetadata()
        if self.failure_policy is not None:
            metadata.on_failure = self.failure_policy
        return workflow_pb2.WorkflowTemplate(
            interface=self.interface.proto(), metadata=metadata,
            nodes=[node for node, _ in nodes], outputs=outputs)

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)


def workflow(fn=None, *, failure_policy=None, **_):
    """Makes a function a workflow: its body is traced once into the workflow's graph."""
    def wrap(f):
        return Workflow(f, failure_policy=failure_policy)
    return wrap(fn) if fn is not None else wrap


class LaunchPlan:
    """A workflow with fixed and default inputs, and optionally a schedule."""
    _all = {}

    def __init__(self, workflow, name, default_inputs=None, fixed_inputs=None, schedule=None,
                 max_parallelism=None):
        self.workflow = workflow
        self.name = name
        self.default_inputs = dict(default_inputs or {})
        self.fixed_inputs = dict(fixed_inputs or {})
        self.schedule = schedule
        self.max_parallelism = max_parallelism

    @classmethod
    def get_or_create(cls, workflow, name=None, default_inputs=None, fixed_inputs=None,
                      schedule=None, max_parallelism=None, **_):
        name = name or workflow.name
        if name not in cls._all:
            cls._all[name] = LaunchPlan(workflow, name, default_inputs, fixed_inputs, schedule,
                                        max_parallelism)
        return cls._all[name]


@dataclasses.dataclass(frozen=True)
class CronSchedule:
    """A cron schedule: ``schedule`` in five fields or an alias such as ``@hourly``."""
    schedule: str
    kickoff_time_input_arg: typing.Optional[str] = None
    timezone: str = "UTC"


@dataclasses.dataclass(frozen=True)
class FixedRate:
    """A fixed-rate schedule: every ``duration`` from activation."""
    duration: datetime.timedelta
    kickoff_time_input_arg: typing.Optional[str] = None
