package io.starling.admin.compiler;

import io.starling.admin.AdminException;
import io.starling.admin.Fields;
import io.starling.admin.Unsigned;
import io.starling.proto.LiteralTypes;
import io.starling.proto.Quote;
import io.starling.proto.core.Binding;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.BranchNode;
import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.IfBlock;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.Node;
import io.starling.proto.core.NodeIdList;
import io.starling.proto.core.Variable;
import io.starling.proto.core.WorkflowTemplate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a workflow at registration and compiles it into the closure executions run from:
 * the template, every task, sub-workflow and launch plan it uses, and each node's upstream
 * nodes. Pure: the caller looks the references up. Every problem names the node and the
 * input; up to ten are reported at once.
 *
 * <p>A branch node's inputs are typed by what they are bound to; its conditions compare those
 * inputs. Its cases' bindings may use anything outside the branch, which the branch node then
 * waits for, and all cases must produce the same outputs.
 */
public final class WorkflowCompiler {

  private static final Pattern NODE_ID = Pattern.compile("[a-z][a-z0-9_-]{0,62}");

  private final Identifier workflowId;
  private final WorkflowTemplate template;
  private final Problems problems = new Problems();
  private final Targets targets;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final Map<Node, Map<String, LiteralType>> outputsByNode = new IdentityHashMap<>();

  private WorkflowCompiler(Identifier workflowId, WorkflowTemplate template,
      References references) {
    this.workflowId = workflowId;
    this.template = template;
    this.targets = new Targets(workflowId, references, problems);
  }

  /**
   * Compiles {@code template}; {@code references} holds the registered versions among
   * {@link ReferencedIds#of}. Throws INVALID_ARGUMENT listing the problems.
   */
  public static CompiledWorkflowClosure compile(Identifier workflowId, WorkflowTemplate template,
      References references) {
    return new WorkflowCompiler(workflowId, template, references).compile();
  }

  private CompiledWorkflowClosure compile() {
    for (Node node : template.getNodesList()) {
      if (checkId(node, "node " + Quote.of(node.getId()))
          && nodes.putIfAbsent(node.getId(), node) != null) {
        problems.add("node " + node.getId() + ": the id is used twice");
      }
    }
    checkInterface();
    Map<String, Set<String>> upstream = new LinkedHashMap<>();
    for (Node node : nodes.values()) {
      Set<String> ups = new LinkedHashSet<>();
      checkNode(node, "node " + node.getId(), ups);
      upstream.put(node.getId(), ups);
    }
    checkOutputs();
    if (problems.isEmpty()) {
      Cycles.find(upstream, nodes, problems);
    }
    if (!problems.isEmpty()) {
      throw AdminException.invalid("workflow " + workflowId.getName() + " does not compile: "
          + problems.joined());
    }
    CompiledWorkflowClosure.Builder closure = CompiledWorkflowClosure.newBuilder()
        .setId(workflowId).setTemplate(template)
        .addAllTasks(targets.tasks.values())
        .addAllSubWorkflows(targets.subWorkflows.values())
        .addAllLaunchPlans(targets.launchPlans.values())
        .addAllCalledWorkflows(targets.calledWorkflows);
    upstream.forEach((id, ups) -> closure.putUpstream(id, NodeIdList.newBuilder().addAllIds(ups).build()));
    return closure.build();
  }

  private boolean checkId(Node node, String where) {
    if (!NODE_ID.matcher(node.getId()).matches()) {
      problems.add(where + ": ids are 1-63 characters of [a-z0-9_-] starting with a letter");
      return false;
    }
    return true;
  }

  private void checkInterface() {
    template.getInterface().getInputsMap().forEach((name, variable) -> {
      if (!TypeChecker.isComplete(variable.getType())) {
        problems.add("workflow input " + Quote.of(name) + " has no complete type");
      }
    });
    template.getInterface().getOutputsMap().forEach((name, variable) -> {
      if (!TypeChecker.isComplete(variable.getType())) {
        problems.add("workflow output " + Quote.of(name) + " has no complete type");
      }
    });
  }

  /** Checks a node (or a branch case); what it waits for goes to {@code upstream}. */
  private void checkNode(Node node, String where, Set<String> upstream) {
    if (node.getMetadata().hasRetries()) {
      problems.addIfAny(Unsigned.outOfRange(node.getMetadata().getRetries(), 0,
          Unsigned.MAX_RETRIES, where + ": metadata.retries"));
    }
    problems.addIfAny(Fields.nonNegativeProblem(node.getMetadata().getTimeout(),
        where + ": metadata.timeout"));
    if (node.hasBranchNode()) {
      checkBranch(node, where, upstream);
    } else {
      Signature signature = targets.of(node, where);
      if (signature != null) {
        checkInputs(node, signature, where, upstream);
      }
    }
    for (String id : node.getUpstreamNodeIdsList()) {
      if (!nodes.containsKey(id)) {
        problems.add(where + ": upstream node " + Quote.of(id) + " does not exist");
      } else {
        upstream.add(id);
      }
    }
  }

  private void checkInputs(Node node, Signature signature, String where, Set<String> upstream) {
    Set<String> bound = new HashSet<>();
    for (Binding binding : node.getInputsList()) {
      String input = where + ": input " + Quote.of(binding.getVar());
      LiteralType declared = signature.inputs().get(binding.getVar());
      if (declared == null) {
        problems.add(input + " is not an input of " + targetName(node) + " (inputs: "
            + String.join(", ", signature.inputs().keySet()) + ")");
      } else if (!bound.add(binding.getVar())) {
        problems.add(input + " is bound twice");
      } else {
        checkBinding(binding.getBinding(), declared, input, upstream);
      }
    }
    for (String name : signature.required()) {
      if (!bound.contains(name)) {
        problems.add(where + ": input " + Quote.of(name) + " is not bound");
      }
    }
  }

  private void checkBranch(Node node, String where, Set<String> upstream) {
    BranchNode branch = node.getBranchNode();
    Map<String, LiteralType> inputs = new LinkedHashMap<>();
    for (Binding binding : node.getInputsList()) {
      String input = where + ": input " + Quote.of(binding.getVar());
      LiteralType type = typeOf(binding.getBinding(), input, upstream);
      if (inputs.containsKey(binding.getVar())) {
        problems.add(input + " is bound twice");
      } else if (type != null) {
        inputs.put(binding.getVar(), type);
      }
    }
    if (branch.getCasesCount() == 0) {
      problems.add(where + ": a branch needs at least one case");
    }
    Conditions conditions = new Conditions(inputs, problems);
    Set<String> caseIds = new HashSet<>();
    for (int i = 0; i < branch.getCasesCount(); i++) {
      IfBlock block = branch.getCases(i);
      String label = where + " case " + (i + 1);
      if (!block.hasCondition()) {
        problems.add(label + ": the condition is missing");
      } else {
        conditions.check(block.getCondition(), label);
      }
      checkCase(block.getThenNode(), where, caseIds, upstream);
    }
    if (branch.hasElseNode()) {
      checkCase(branch.getElseNode(), where, caseIds, upstream);
    }
    outputsOf(node, where);
  }

  private void checkCase(Node node, String branchWhere, Set<String> caseIds, Set<String> upstream) {
    String where = branchWhere + " case " + node.getId();
    if (!checkId(node, branchWhere + " case " + Quote.of(node.getId()))) {
      return;
    }
    if (!caseIds.add(node.getId())) {
      problems.add(where + ": the case id is used twice");
    }
    if (node.hasWorkflowNode() && node.getWorkflowNode().hasSubWorkflowRef()) {
      problems.add(where + ": a branch case runs a task, map, branch or launch-plan node,"
          + " not a sub-workflow (wrap it in a launch plan)");
      return;
    }
    checkNode(node, where, upstream);
  }

  /**
   * What a node produces; for a branch the outputs every case shares. Null when unknown (the
   * reason, e.g. cases that disagree, is reported once: results are memoised per node).
   */
  private Map<String, LiteralType> outputsOf(Node node, String where) {
    if (!outputsByNode.containsKey(node)) {
      Map<String, LiteralType> outputs;
      if (node.hasBranchNode()) {
        outputs = branchOutputs(node.getBranchNode(), where);
      } else {
        Signature signature = targets.of(node, where);
        outputs = signature == null ? null : signature.outputs();
      }
      outputsByNode.put(node, outputs);
    }
    return outputsByNode.get(node);
  }

  private Map<String, LiteralType> branchOutputs(BranchNode branch, String where) {
    List<Node> cases = new ArrayList<>();
    branch.getCasesList().forEach(block -> cases.add(block.getThenNode()));
    if (branch.hasElseNode()) {
      cases.add(branch.getElseNode());
    }
    Map<String, LiteralType> first = null;
    for (Node node : cases) {
      Map<String, LiteralType> outputs = outputsOf(node, where + " case " + node.getId());
      if (outputs == null) {
        return null;
      }
      if (first == null) {
        first = outputs;
      } else if (!first.equals(outputs)) {
        problems.add(where + ": every case must produce the same outputs, but case "
            + cases.get(0).getId() + " produces " + describe(first) + " and case "
            + node.getId() + " produces " + describe(outputs));
        return null;
      }
    }
    return first;
  }

  private void checkOutputs() {
    Map<String, Variable> outputs = template.getInterface().getOutputsMap();
    Set<String> bound = new HashSet<>();
    for (Binding binding : template.getOutputsList()) {
      String where = "workflow output " + Quote.of(binding.getVar());
      Variable declared = outputs.get(binding.getVar());
      if (declared == null) {
        problems.add(where + " is bound but not declared");
      } else if (!bound.add(binding.getVar())) {
        problems.add(where + " is bound twice");
      } else {
        checkBinding(binding.getBinding(), declared.getType(), where, new HashSet<>());
      }
    }
    for (String name : outputs.keySet()) {
      if (!bound.contains(name)) {
        problems.add("workflow output " + Quote.of(name) + " is not bound");
      }
    }
  }

  /** The type a branch input's binding produces; null (reported) when unknown. */
  private LiteralType typeOf(BindingData data, String where, Set<String> upstream) {
    switch (data.getValueCase()) {
      case LITERAL -> {
        LiteralType type = LiteralTypes.scalarTypeOf(data.getLiteral());
        if (type == null) {
          problems.add(where + ": a branch input bound to a constant must be a scalar");
        }
        return type;
      }
      case WORKFLOW_INPUT -> {
        Variable input = template.getInterface().getInputsMap().get(data.getWorkflowInput());
        if (input == null) {
          problems.add(where + ": workflow input " + Quote.of(data.getWorkflowInput()) + " does not exist");
          return null;
        }
        return input.getType();
      }
      case PROMISE -> {
        return promisedType(data, where, upstream);
      }
      default -> {
        problems.add(where + ": a branch input is bound to a workflow input, a node output or"
            + " a constant");
        return null;
      }
    }
  }

  private void checkBinding(BindingData data, LiteralType type, String where, Set<String> upstream) {
    switch (data.getValueCase()) {
      case LITERAL -> {
        String mismatch = TypeChecker.mismatch(data.getLiteral(), type);
        if (mismatch != null) {
          problems.add(where + ": " + mismatch);
        }
      }
      case WORKFLOW_INPUT -> {
        Variable input = template.getInterface().getInputsMap().get(data.getWorkflowInput());
        if (input == null) {
          problems.add(where + ": workflow input " + Quote.of(data.getWorkflowInput()) + " does not exist");
        } else {
          sameType(input.getType(), type, where, "workflow input " + Quote.of(data.getWorkflowInput()));
        }
      }
      case PROMISE -> {
        LiteralType produced = promisedType(data, where, upstream);
        if (produced != null) {
          sameType(produced, type, where,
              "output " + data.getPromise().getNodeId() + "." + data.getPromise().getVar());
        }
      }
      case COLLECTION -> {
        if (!type.hasCollectionType()) {
          problems.add(where + ": expected " + LiteralTypes.describe(type) + ", got a list");
        } else {
          int i = 0;
          for (BindingData item : data.getCollection().getBindingsList()) {
            checkBinding(item, type.getCollectionType(), where + "[" + i++ + "]", upstream);
          }
        }
      }
      case MAP -> {
        if (!type.hasMapValueType()) {
          problems.add(where + ": expected " + LiteralTypes.describe(type) + ", got a map");
        } else {
          data.getMap().getBindingsMap().forEach((key, item) ->
              checkBinding(item, type.getMapValueType(), where + "[" + key + "]", upstream));
        }
      }
      default -> problems.add(where + ": the binding has no value");
    }
  }

  /** The type of an upstream output; null when the node or output is unknown (reported). */
  private LiteralType promisedType(BindingData data, String where, Set<String> upstream) {
    String nodeId = data.getPromise().getNodeId();
    String var = data.getPromise().getVar();
    Node source = nodes.get(nodeId);
    if (source == null) {
      problems.add(where + ": node " + Quote.of(nodeId) + " does not exist");
      return null;
    }
    upstream.add(nodeId);
    Map<String, LiteralType> outputs = outputsOf(source, "node " + nodeId);
    if (outputs == null) {
      return null; // reported for the source node itself
    }
    LiteralType output = outputs.get(var);
    if (output == null) {
      problems.add(where + ": node " + nodeId + " has no output " + Quote.of(var) + " (outputs: "
          + String.join(", ", outputs.keySet()) + ")");
    }
    return output;
  }

  private void sameType(LiteralType actual, LiteralType expected, String where, String source) {
    if (!actual.equals(expected)) {
      problems.add(where + ": expected " + LiteralTypes.describe(expected) + ", but " + source
          + " is " + LiteralTypes.describe(actual));
    }
  }

  private static String targetName(Node node) {
    Identifier target = ClosureNodes.target(node, "");
    if (target == null) {
      return "node " + node.getId();
    }
    String kind = switch (target.getResourceType()) {
      case WORKFLOW -> "workflow ";
      case LAUNCH_PLAN -> "launch plan ";
      default -> "task ";
    };
    return kind + target.getName();
  }

  private static String describe(Map<String, LiteralType> outputs) {
    List<String> parts = new ArrayList<>();
    outputs.forEach((name, type) -> parts.add(name + ": " + LiteralTypes.describe(type)));
    return "{" + String.join(", ", parts) + "}";
  }
}
