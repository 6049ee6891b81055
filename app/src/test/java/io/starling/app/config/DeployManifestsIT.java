package io.starling.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.starling.auth.ApiKey;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes as kubectl renders it ({@code kubectl kustomize} of each overlay), read into
 * the Kubernetes API's own types (fabric8's model: a field of the wrong type fails, one the API
 * does not have is caught as left over), and its configuration read by the app itself: every key
 * and environment variable the manifests set is one the app knows, the seed's knobs are set
 * where an operator edits them, and the probes name ports the container has.
 */
class DeployManifestsIT {

  private static final Path KUBERNETES = Path.of("..", "deploy", "kubernetes");
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
      "v1/ConfigMap", ConfigMap.class, "v1/Service", Service.class,
      "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
      "apps/v1/Deployment", Deployment.class,
      "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
      "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class);
  /** The seed's knobs: an operator of the cluster edits them in the overlay's starling.yaml. */
  private static final List<String> KNOBS = List.of("propeller.workers", "admin.max-parallelism",
      "propeller.reevaluation-interval", "propeller.scan-interval", "sharding.strategy",
      "cluster.heartbeat-interval", "cluster.heartbeat-timeout");

  @TempDir
  Path directory;

  @Test
  void theClusterOverlayRendersValidObjectsOfAKnownConfiguration() throws Exception {
    List<HasMetadata> objects = render("cluster");
    assertThat(objects).extracting(HasMetadata::getKind).containsExactlyInAnyOrder(
        "ConfigMap", "Service", "Service", "Deployment", "PodDisruptionBudget", "ServiceMonitor");
    Deployment deployment = only(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .isGreaterThanOrEqualTo(30);
    Map<String, String> config = configuration(objects, deployment);
    assertThat(config.keySet()).containsAll(KNOBS);
    StarlingConfig loaded = load(deployment);
    assertThat(loaded.embeddedDatabase()).isFalse();
    assertThat(loaded.auth().apiKeys()).isTrue();
    assertThat(loaded.groups().own()).isPresent();
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .as("each replica's lease owner name is its pod's").anySatisfy(variable -> {
          assertThat(variable.getName()).isEqualTo("STARLING_PROPELLER_REPLICA_ID");
          assertThat(variable.getValueFrom().getFieldRef().getFieldPath())
              .isEqualTo("metadata.name");
        });
    Service hazelcast = objects.stream().filter(Service.class::isInstance).map(Service.class::cast)
        .filter(service -> "None".equals(service.getSpec().getClusterIP())).findFirst()
        .orElseThrow();
    assertThat(config.get("cluster.kubernetes-service-dns"))
        .startsWith(hazelcast.getMetadata().getName() + "."
            + hazelcast.getMetadata().getNamespace() + ".");
    assertThat(hazelcast.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(only(objects, PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void theSandboxOverlayRendersValidObjectsOfAKnownConfiguration() throws Exception {
    List<HasMetadata> objects = render("sandbox");
    Deployment deployment = only(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    configuration(objects, deployment);
    StarlingConfig loaded = load(deployment);
    assertThat(loaded.embeddedDatabase()).isTrue();
    assertThat(only(objects, PersistentVolumeClaim.class).getMetadata().getName()).isEqualTo(
        deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(volume -> volume.getPersistentVolumeClaim() != null).findFirst()
            .orElseThrow().getPersistentVolumeClaim().getClaimName());
  }

  /** The objects {@code kubectl kustomize} makes of an overlay, each read strictly. */
  private List<HasMetadata> render(String overlay) throws Exception {
    Process kubectl = new ProcessBuilder("kubectl", "kustomize",
        KUBERNETES.resolve("overlays").resolve(overlay).toString()).start();
    String rendered = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String errors = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(kubectl.waitFor()).as(errors).isZero();
    List<HasMetadata> objects = new ArrayList<>();
    for (JsonNode document : YAML.readValues(new YAMLFactory().createParser(rendered),
        JsonNode.class).readAll()) {
      String kind = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
      assertThat(KINDS).as("a kind this test knows").containsKey(kind);
      HasMetadata object = JSON.treeToValue(document, KINDS.get(kind));
      List<String> leftOver = new ArrayList<>();
      leftOvers(object, kind, leftOver, new IdentityHashMap<>());
      assertThat(leftOver).as("fields the Kubernetes API does not have").isEmpty();
      objects.add(object);
    }
    return objects;
  }

  /** Paths of fields fabric8 kept aside because its model of the API has no such field. */
  private static void leftOvers(Object value, String path, List<String> found,
      Map<Object, Boolean> seen) throws Exception {
    if (value == null || seen.put(value, true) != null) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        leftOvers(item, path + "[" + i++ + "]", found, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> entries) {
      for (Map.Entry<?, ?> entry : entries.entrySet()) {
        leftOvers(entry.getValue(), path + "." + entry.getKey(), found, seen);
      }
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object field = getter.invoke(value);
      if (getter.getName().equals("getAdditionalProperties")) {
        if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
          found.add(path + ": " + extra.keySet());
        }
      } else {
        leftOvers(field, path + "." + getter.getName().substring(3), found, seen);
      }
    }
  }

  /**
   * The starling.yaml of the ConfigMap the Deployment mounts, flattened to its keys; each must
   * be a key the app knows.
   */
  private Map<String, String> configuration(List<HasMetadata> objects, Deployment deployment)
      throws IOException {
    String mounted = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(volume -> volume.getConfigMap() != null).findFirst().orElseThrow()
        .getConfigMap().getName();
    ConfigMap map = objects.stream().filter(ConfigMap.class::isInstance)
        .map(ConfigMap.class::cast)
        .filter(candidate -> candidate.getMetadata().getName().equals(mounted)).findFirst()
        .orElseThrow();
    String file = map.getData().get("starling.yaml");
    Files.writeString(directory.resolve("starling.yaml"), file);
    Map<String, String> keys = new HashMap<>();
    flatten("", YAML.readTree(file), keys);
    Set<String> unknown = new TreeSet<>(keys.keySet());
    unknown.removeIf(key -> StarlingConfig.KEYS.contains(key)
        || StarlingConfig.KEYS.contains(key.replaceFirst("^sharding\\.groups\\.[^.]+\\.",
            "sharding.groups.*.")));
    assertThat(unknown).as("keys the app does not know").isEmpty();
    return keys;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> keys) {
    if (node.isObject() && !prefix.equals("roles")) {
      node.fields().forEachRemaining(field -> flatten(prefix.isEmpty() ? field.getKey()
          : prefix + "." + field.getKey(), field.getValue(), keys));
    } else {
      keys.put(prefix, node.isValueNode() ? node.asText() : node.toString());
    }
  }

  /**
   * The configuration as a replica of the Deployment reads it: the file and the container's
   * environment (each STARLING_ variable a key the app knows; values from secrets stand in).
   */
  private StarlingConfig load(Deployment deployment) {
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    Set<String> ports = new TreeSet<>();
    container.getPorts().stream().map(ContainerPort::getName).forEach(ports::add);
    for (Probe probe : new Probe[] {container.getReadinessProbe(), container.getLivenessProbe(),
        container.getStartupProbe()}) {
      assertThat(probe).isNotNull();
      assertThat(ports).contains(probe.getHttpGet().getPort().getStrVal());
    }
    Set<String> known = new TreeSet<>();
    StarlingConfig.KEYS.forEach(key -> known.add("STARLING_"
        + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_')));
    Map<String, String> environment = new HashMap<>();
    for (EnvVar variable : container.getEnv()) {
      if (variable.getName().equals("STARLING_JAVA_OPTS")) {
        continue; // the launcher's, not a configuration key
      }
      assertThat(known).as("configuration keys").contains(variable.getName());
      environment.put(variable.getName(), variable.getName().contains("BOOTSTRAP_KEY")
          ? ApiKey.generate().text() : variable.getValue() != null ? variable.getValue()
          : "10.0.0.1");
    }
    StarlingConfig loaded = StarlingConfig.load(directory.resolve("starling.yaml"), environment);
    loaded.admin();
    loaded.propeller();
    loaded.worker();
    loaded.scheduler();
    loaded.auth();
    loaded.tls();
    loaded.database();
    loaded.roles();
    return loaded;
  }

  private static <T> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(found).hasSize(1);
    return found.get(0);
  }
}
