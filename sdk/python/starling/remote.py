"""Registering a module's tasks, workflows and launch plans, and running workflows, over the
admin API (gRPC)."""

import hashlib
import importlib
import importlib.util
import os
import sys

import grpc

from starling import _gen  # noqa: F401
from starling import model, types
from starling.admin import admin_pb2, admin_pb2_grpc
from starling.core import execution_pb2, identifier_pb2, launch_plan_pb2

DEFAULT_SERVER = "127.0.0.1:8089"
_TERMINAL = {execution_pb2.WorkflowExecution.SUCCEEDED, execution_pb2.WorkflowExecution.FAILED,
             execution_pb2.WorkflowExecution.ABORTED, execution_pb2.WorkflowExecution.TIMED_OUT}


def credentials(api_key=None):
    """The call metadata that carries the API key (``STARLING_API_KEY`` by default)."""
    key = api_key or os.environ.get("STARLING_API_KEY")
    return (("authorization", "Bearer " + key),) if key else ()


def channel(server):
    """A channel to ``server``: TLS trusting the CA in ``STARLING_TLS_CA`` when it is set (with
    the client certificate in ``STARLING_TLS_CERT``/``STARLING_TLS_KEY`` for a server that asks
    for one), plain text otherwise."""
    ca = os.environ.get("STARLING_TLS_CA")
    if not ca:
        return grpc.insecure_channel(server)
    cert, key = os.environ.get("STARLING_TLS_CERT"), os.environ.get("STARLING_TLS_KEY")
    if bool(cert) != bool(key):
        raise ValueError("STARLING_TLS_CERT and STARLING_TLS_KEY go together")

    def read(path):
        with open(path, "rb") as file:
            return file.read()
    return grpc.secure_channel(server, grpc.ssl_channel_credentials(
        root_certificates=read(ca), private_key=read(key) if key else None,
        certificate_chain=read(cert) if cert else None))


class Module:
    """A Python module's tasks, workflows and launch plans, at one version."""

    def __init__(self, target, version=None):
        self.module = load(target)
        self.name = self.module.__name__
        self.version = version or _code_version(self.module)
        self.queue = f"{self.name}@{self.version}"
        members = vars(self.module).values()
        self.workflows = [m for m in members if isinstance(m, model.Workflow)]
        tasks = {m.name: m for m in members if isinstance(m, model.Task)}
        for workflow in self.workflows:
            for task in workflow.tasks():
                tasks.setdefault(task.name, task)
        self.tasks = list(tasks.values())
        plans = {wf.name: model.LaunchPlan.get_or_create(wf) for wf in self.workflows}
        for plan in model.LaunchPlan._all.values():
            if plan.workflow in self.workflows:
                plans[plan.name] = plan
        self.launch_plans = list(plans.values())

    def task(self, name):
        for task in self.tasks:
            if task.name == name or task.fn.__name__ == name:
                return task
        return None

    def workflow(self, name):
        for workflow in self.workflows:
            if workflow.name == name or workflow.fn.__name__ == name:
                return workflow
        raise LookupError(f"module {self.name} has no workflow {name!r} (it has: "
                          + ", ".join(w.fn.__name__ for w in self.workflows) + ")")


def load(target):
    """Imports a module by its name or by the path of its file."""
    if target.endswith(".py") or os.sep in target:
        path = os.path.abspath(target)
        if not os.path.exists(path):
            raise FileNotFoundError(f"no such module file: {target}")
        name = os.path.splitext(os.path.basename(path))[0]
        if name in sys.modules:
            return sys.modules[name]
        sys.path.insert(0, os.path.dirname(path))
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    return importlib.import_module(target)


def _code_version(module):
    with open(module.__file__, "rb") as source:
        return hashlib.sha256(source.read()).hexdigest()[:12]


class Client:
    """A blocking client of the admin API."""

    def __init__(self, server=DEFAULT_SERVER, project="default", domain="development",
                 api_key=None):
        self.channel = channel(server)
        self.admin = admin_pb2_grpc.AdminServiceStub(self.channel)
        self.project = project
        self.domain = domain
        self.metadata = credentials(api_key)

    def close(self):
        self.channel.close()

    def _id(self, kind, name, version):
        return identifier_pb2.Identifier(resource_type=kind, project=self.project,
                                         domain=self.domain, name=name, version=version)

    def register(self, module):
        """Registers the module's tasks, then workflows, then launch plans."""
        for task in module.tasks:
            self.admin.CreateTask(admin_pb2.TaskCreateRequest(
                id=self._id(identifier_pb2.TASK, task.name, module.version),
                spec=task.template(module.queue)), metadata=self.metadata)
        for workflow in module.workflows:
            template = workflow.template()
            for node in template.nodes:
                self._resolve(node, module.version)
            self.admin.CreateWorkflow(admin_pb2.WorkflowCreateRequest(
                id=self._id(identifier_pb2.WORKFLOW, workflow.name, module.version),
                spec=template), metadata=self.metadata)
        for plan in module.launch_plans:
            self.admin.CreateLaunchPlan(admin_pb2.LaunchPlanCreateRequest(
                id=self._id(identifier_pb2.LAUNCH_PLAN, plan.name, module.version),
                spec=self._plan_spec(plan, module.version)), metadata=self.metadata)

    def _resolve(self, node, version):
        """Gives the task references of a node (and of a branch's cases) their full ids."""
        kind = node.WhichOneof("target")
        if kind in ("task_node", "map_node"):
            target = getattr(node, kind)
            target.task_id.CopyFrom(self._id(identifier_pb2.TASK, target.task_id.name, version))
        elif kind == "branch_node":
            for case in node.branch_node.cases:
                self._resolve(case.then_node, version)
            if node.branch_node.HasField("else_node"):
                self._resolve(node.branch_node.else_node, version)

    def _plan_spec(self, plan, version):
        hints = plan.workflow.interface.inputs
        spec = launch_plan_pb2.LaunchPlanSpec(
            workflow_id=self._id(identifier_pb2.WORKFLOW, plan.workflow.name, version))
        for name, value in plan.default_inputs.items():
            spec.default_inputs.literals[name].CopyFrom(types.to_literal(value, hints[name]))
        for name, value in plan.fixed_inputs.items():
            spec.fixed_inputs.literals[name].CopyFrom(types.to_literal(value, hints[name]))
        if plan.max_parallelism is not None:
            spec.max_parallelism = plan.max_parallelism
        schedule = plan.schedule
        if isinstance(schedule, model.CronSchedule):
            spec.schedule.cron_expression = schedule.schedule
            spec.schedule.time_zone = schedule.timezone
        elif isinstance(schedule, model.FixedRate):
            minutes = int(schedule.duration.total_seconds() // 60)
            if minutes < 1 or schedule.duration.total_seconds() % 60:
                raise ValueError(f"launch plan {plan.name}: a fixed rate is whole minutes")
            spec.schedule.rate.value = minutes
            spec.schedule.rate.unit = launch_plan_pb2.FixedRate.MINUTE
        if schedule is not None and schedule.kickoff_time_input_arg:
            spec.schedule.kickoff_time_input_arg = schedule.kickoff_time_input_arg
        return spec

    def launch(self, module, plan_name, inputs):
        """Creates an execution of the launch plan with {name: python value}; returns its name."""
        plan = next(p for p in module.launch_plans if p.name == plan_name)
        hints = plan.workflow.interface.inputs
        request = admin_pb2.ExecutionCreateRequest(
            project=self.project, domain=self.domain,
            launch_plan=self._id(identifier_pb2.LAUNCH_PLAN, plan.name, module.version))
        for name, value in inputs.items():
            request.inputs.literals[name].CopyFrom(types.to_literal(value, hints[name]))
        created = self.admin.CreateExecution(request, metadata=self.metadata)
        return created.id.name

    def wait(self, name, progress=None):
        """Follows the execution until it ends; returns its closure's phase and error."""
        execution_id = identifier_pb2.ExecutionIdentifier(
            project=self.project, domain=self.domain, name=name)
        for event in self.admin.WatchExecution(
                admin_pb2.ExecutionWatchRequest(id=execution_id), metadata=self.metadata):
            if progress is not None and event.HasField("progress"):
                progress(event.progress)
            if event.HasField("execution") and event.execution.phase in _TERMINAL:
                return event.execution.phase, event.execution.error
        got = self.admin.GetExecution(admin_pb2.ExecutionGetRequest(id=execution_id),
                                      metadata=self.metadata)
        return got.closure.phase, got.closure.error

    def outputs(self, name, workflow):
        data = self.admin.GetExecutionData(admin_pb2.ExecutionGetDataRequest(
            id=identifier_pb2.ExecutionIdentifier(project=self.project, domain=self.domain,
                                                  name=name)), metadata=self.metadata)
        return {key: types.from_literal(lit, workflow.interface.outputs.get(key))
                for key, lit in data.outputs.literals.items()}
