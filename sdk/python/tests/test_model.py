"""The SDK without a server: local runs, tracing, types."""

import datetime
import os
import sys
import typing
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "examples"))

from starling import map_task, task, types, workflow  # noqa: E402
from starling import remote  # noqa: E402

import branches  # noqa: E402
import seed_map_workflow  # noqa: E402


class LocalRuns(unittest.TestCase):

    def test_the_seed_workflow_runs_as_a_plain_function(self):
        self.assertEqual(seed_map_workflow.my_map_workflow(a=[0, 1, 2]), "234")

    def test_a_task_runs_as_a_plain_function(self):
        self.assertEqual(seed_map_workflow.a_mappable_task(a=40), "42")


class Tracing(unittest.TestCase):

    def test_the_seed_workflow_traces_into_a_map_node_and_a_task_node(self):
        template = seed_map_workflow.my_map_workflow.template()
        self.assertEqual([n.WhichOneof("target") for n in template.nodes],
                         ["map_node", "task_node"])
        mapped, coalesce = template.nodes
        self.assertEqual(mapped.metadata.retries, 1)
        self.assertEqual(mapped.map_node.task_id.name, "seed_map_workflow.a_mappable_task")
        self.assertEqual(list(coalesce.upstream_node_ids), [mapped.id])
        self.assertEqual(coalesce.inputs[0].binding.promise.node_id, mapped.id)
        self.assertEqual(template.outputs[0].binding.promise.node_id, coalesce.id)

    def test_a_module_is_versioned_by_its_code_and_served_on_a_queue_of_that_version(self):
        module = remote.Module(seed_map_workflow.__file__)
        self.assertRegex(module.version, "^[0-9a-f]{12}$")
        self.assertEqual(module.queue, "seed_map_workflow@" + module.version)
        self.assertEqual(sorted(t.name for t in module.tasks),
                         ["seed_map_workflow.a_mappable_task", "seed_map_workflow.coalesce"])
        self.assertEqual([p.name for p in module.launch_plans],
                         ["seed_map_workflow.my_map_workflow"])

    def test_constants_become_literal_bindings(self):
        @task
        def add(a: int, b: int) -> int:
            return a + b

        @workflow
        def plus_one(a: int) -> int:
            return add(a=a, b=1)

        node = plus_one.template().nodes[0]
        self.assertEqual(node.inputs[1].binding.literal.integer, 1)
        self.assertEqual(plus_one(a=1), 2)


class Branches(unittest.TestCase):

    def test_only_the_case_that_holds_runs_locally(self):
        self.assertEqual([branches.pick(x=x) for x in (20, -3, 5, 200)], [40, 3, 25, 40000])

    def test_a_conditional_traces_into_one_branch_node_with_its_cases(self):
        [node] = branches.pick.template().nodes
        self.assertEqual(node.WhichOneof("target"), "branch_node")
        self.assertEqual([b.var for b in node.inputs], ["v0"])
        self.assertEqual([c.then_node.task_node.task_id.name for c in node.branch_node.cases],
                         ["branches.double", "branches.negate"])
        self.assertEqual(node.branch_node.else_node.task_node.task_id.name, "branches.square")
        self.assertEqual(sorted(t.name for t in branches.pick.tasks()),
                         ["branches.double", "branches.negate", "branches.square"])

    def test_python_and_on_conditions_is_refused(self):
        @workflow
        def wrong(x: int) -> int:
            from starling import conditional
            return conditional("c").if_((x > 1) and (x < 5)).then(branches.double(a=x)) \
                .else_().fail("no")
        with self.assertRaises(TypeError) as refused:
            wrong.template()
        self.assertIn("combine conditions with & and |", str(refused.exception))


class Types(unittest.TestCase):

    def test_an_unmappable_type_names_the_function_and_the_parameter(self):
        with self.assertRaises(TypeError) as refused:
            @task
            def bad(a: set) -> int:
                return 0
        self.assertIn("task test_model.", str(refused.exception))
        self.assertIn(".bad: parameter 'a': type set has no Starling literal type",
                      str(refused.exception))

    def test_a_parameter_without_a_hint_is_refused(self):
        with self.assertRaises(TypeError) as refused:
            @task
            def bare(a) -> int:
                return 0
        self.assertIn("parameter 'a' has no type hint", str(refused.exception))

    def test_values_survive_a_round_trip_through_literals(self):
        cases = [
            (int, 2**63 - 1), (float, 1.5), (str, "héllo"), (bool, True), (bytes, b"\x00\xff"),
            (datetime.datetime, datetime.datetime(2026, 12, 2, 3, 0, tzinfo=datetime.timezone.utc)),
            (datetime.timedelta, datetime.timedelta(seconds=90)),
            (typing.List[int], [1, 2, 3]), (typing.Dict[str, float], {"a": 1.0}),
            (dict, {"k": [1, "x"]}),
        ]
        for hint, value in cases:
            with self.subTest(hint=hint):
                self.assertEqual(types.from_literal(types.to_literal(value, hint), hint), value)

    def test_an_int_input_refuses_a_string(self):
        with self.assertRaises(TypeError):
            types.to_literal("1", int)

    def test_map_task_locally_maps_over_the_list(self):
        @task
        def square(x: int) -> int:
            return x * x
        self.assertEqual(map_task(square)(x=[1, 2, 3]), [1, 4, 9])


if __name__ == "__main__":
    unittest.main()
