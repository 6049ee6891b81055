"""The worker runtime: serves a module's tasks over WorkerService.Connect.

One stream per worker process: a hello naming the module's queue and the capacity (the most
attempts held at once), then reports in batches as tasks end, and heartbeats that keep the
leases of the attempts held. Tasks run on a thread pool. A broken stream is opened again with
backoff (0.1 s doubling to 5 s); reports the server has not acknowledged are sent again on the
new stream, and the server takes them while their leases hold.
"""

import logging
import os
import queue
import random
import socket
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

import grpc

from starling import _gen  # noqa: F401
from starling import remote, types
from starling.core import literals_pb2
from starling.worker import worker_pb2, worker_pb2_grpc

LOG = logging.getLogger("starling.worker")
_TRACEBACK_TAIL = 4000


class NonRetryableError(Exception):
    """Raised by a task whose failure no retry can mend: the node fails at once."""


class Worker:
    """Serves the tasks of ``module`` (a :class:`starling.remote.Module`) through ``server``:
    ``host:port``, or several separated by commas, tried in turn when a stream breaks."""

    def __init__(self, module, server=remote.DEFAULT_SERVER, project="default",
                 domain="development", capacity=256, threads=1, api_key=None, worker_id=None):
        self.module = module
        self.servers = [address.strip() for address in server.split(",") if address.strip()]
        self.server = self.servers[0]
        self.project = project
        self.domain = domain
        self.capacity = capacity
        self.metadata = remote.credentials(api_key)
        self.worker_id = worker_id or f"{socket.gethostname()}-{os.getpid()}"
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="starling-task")
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.held = {}        # attempt id -> Lease, running here
        self.unacked = {}     # attempt id -> Report, sent or to send, not acknowledged
        self.outgoing = None  # the current stream's queue
        self.call = None      # the current stream
        self.tasks_done = 0
        self.welcomed = threading.Event()
        self.refusal = None   # the RpcError that ended serving for good, if one did

    def stop(self, grace=10.0):
        """Stops taking attempts, sends the reports of those running, then closes the stream;
        after ``grace`` seconds it closes it anyway (the leases of what still runs expire)."""
        self.stopping.set()
        timer = threading.Timer(grace, self._cancel)
        timer.daemon = True
        timer.start()

    def _cancel(self):
        with self.lock:
            call = self.call
        if call is not None:
            call.cancel()

    def start(self, timeout=30.0):
        """Serves in a background thread; returns once a server has welcomed the worker, or
        raises its refusal (a key without the worker role, say) or a TimeoutError."""
        def serve():
            try:
                self.run()
            except grpc.RpcError as error:
                self.refusal = error
                self.welcomed.set()
        threading.Thread(target=serve, daemon=True, name="starling-worker").start()
        if not self.welcomed.wait(timeout):
            raise TimeoutError(f"no server welcomed the worker within {timeout:.0f}s")
        if self.refusal is not None:
            raise self.refusal

    def run(self):
        """Serves until :meth:`stop`; reconnects with backoff when the stream breaks."""
        delay = 0.1
        while not self.stopping.is_set():
            started = time.monotonic()
            try:
                self._session()
                why = "the server ended the stream"
            except grpc.RpcError as error:
                if error.code() in (grpc.StatusCode.INVALID_ARGUMENT,
                                    grpc.StatusCode.UNAUTHENTICATED,
                                    grpc.StatusCode.PERMISSION_DENIED):
                    raise
                why = f"{error.code().name}: {error.details()}"
            if self.stopping.is_set():
                break
            if time.monotonic() - started > 10:
                delay = 0.1
            broken = self.server
            self.server = self.servers[(self.servers.index(broken) + 1) % len(self.servers)]
            LOG.warning("worker stream to %s broke (%s); connecting to %s in %.1fs", broken,
                        why, self.server, delay)
            self.stopping.wait(delay * (0.5 + random.random()))
            delay = min(delay * 2, 5.0)
        self.pool.shutdown(wait=True)

    def _session(self):
        outgoing = queue.Queue()
        with self.lock:
            self.outgoing = outgoing
            pending = list(self.unacked.values())
        hello = worker_pb2.WorkerMessage(hello=worker_pb2.Hello(
            worker_id=self.worker_id, capacity=self.capacity,
            queues=[worker_pb2.Queue(project=self.project, domain=self.domain,
                                     name=self.module.queue)]))
        closed = threading.Event()
        with remote.channel(self.server) as channel:
            stub = worker_pb2_grpc.WorkerServiceStub(channel)
            responses = stub.Connect(self._requests(hello, pending, outgoing, closed),
                                     metadata=self.metadata)
            with self.lock:
                self.call = responses
            beat = None
            try:
                for message in responses:
                    kind = message.WhichOneof("kind")
                    if kind == "welcome":
                        self.welcomed.set()
                        LOG.info("worker %s serves queue %s/%s/%s on %s (session %s)",
                                 self.worker_id, self.project, self.domain, self.module.queue,
                                 self.server, message.welcome.session_id)
                        interval = message.welcome.heartbeat_interval.ToTimedelta()
                        beat = threading.Thread(target=self._heartbeats, daemon=True,
                                                args=(outgoing, interval.total_seconds(), closed))
                        beat.start()
                    elif kind == "assignments":
                        for assignment in message.assignments.assignments:
                            with self.lock:
                                self.held[assignment.lease.attempt_id] = assignment.lease
                            self.pool.submit(self._run, assignment)
                    elif kind == "acks":
                        with self.lock:
                            for ack in message.acks.acks:
                                self.unacked.pop(ack.lease.attempt_id, None)
                    elif kind == "superseded":
                        with self.lock:
                            for lease in message.superseded.leases:
                                self.held.pop(lease.attempt_id, None)
                                self.unacked.pop(lease.attempt_id, None)
            except grpc.RpcError as error:
                if not (self.stopping.is_set() and error.code() == grpc.StatusCode.CANCELLED):
                    raise
            finally:
                closed.set()
                with self.lock:
                    self.call = None
                responses.cancel()

    def _drained(self):
        with self.lock:
            return not self.held and not self.unacked

    def _requests(self, hello, pending, outgoing, closed):
        yield hello
        if pending:
            yield worker_pb2.WorkerMessage(reports=worker_pb2.Reports(reports=pending))
        draining = False
        while not closed.is_set():
            if self.stopping.is_set() and not draining:
                draining = True
                yield worker_pb2.WorkerMessage(capacity=0)
            if draining and self._drained() and outgoing.empty():
                return  # the server ends its side in turn
            try:
                item = outgoing.get(timeout=0.2)
            except queue.Empty:
                continue
            if isinstance(item, worker_pb2.Heartbeat):
                yield worker_pb2.WorkerMessage(heartbeat=item)
                continue
            batch = [item]
            while len(batch) < 1000:
                try:
                    more = outgoing.get_nowait()
                except queue.Empty:
                    break
                if isinstance(more, worker_pb2.Heartbeat):
                    outgoing.put(more)
                    break
                batch.append(more)
            yield worker_pb2.WorkerMessage(reports=worker_pb2.Reports(reports=batch))

    def _heartbeats(self, outgoing, interval, closed):
        while not closed.wait(interval):
            with self.lock:
                leases = list(self.held.values())
            if leases:
                outgoing.put(worker_pb2.Heartbeat(leases=leases))

    def _run(self, assignment):
        spec = assignment.attempt
        report = worker_pb2.Report(lease=assignment.lease)
        task = self.module.task(spec.task_id.name)
        try:
            if task is None:
                raise NonRetryableError(f"this worker's module {self.module.name} has no task "
                                        f"{spec.task_id.name}")
            inputs = {name: types.from_literal(spec.inputs.literals[name], hint)
                      for name, hint in task.interface.inputs.items()
                      if name in spec.inputs.literals}
            outputs = task.run(inputs)
            literals = literals_pb2.LiteralMap()
            for name, value in outputs.items():
                literals.literals[name].CopyFrom(
                    types.to_literal(value, task.interface.outputs[name]))
            report.outputs.CopyFrom(literals)
        except Exception as error:  # noqa: BLE001 - the task's own failure, reported
            report.failure.CopyFrom(worker_pb2.TaskFailure(
                code=type(error).__name__, message=str(error) or type(error).__name__,
                retryable=not isinstance(error, NonRetryableError),
                traceback=traceback.format_exc()[-_TRACEBACK_TAIL:]))
        with self.lock:
            if self.held.pop(assignment.lease.attempt_id, None) is None:
                return  # superseded meanwhile: nobody takes the result
            self.unacked[assignment.lease.attempt_id] = report
            self.tasks_done += 1
            outgoing = self.outgoing
        outgoing.put(report)
