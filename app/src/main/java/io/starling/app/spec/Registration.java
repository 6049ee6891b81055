package io.starling.app.spec;

import io.starling.proto.admin.LaunchPlanCreateRequest;
import io.starling.proto.admin.TaskCreateRequest;
import io.starling.proto.admin.WorkflowCreateRequest;
import java.util.List;

/** What one spec file registers, in the order it must be registered. */
public record Registration(
    List<TaskCreateRequest> tasks,
    List<WorkflowCreateRequest> workflows,
    List<LaunchPlanCreateRequest> launchPlans) {}
