package io.starling.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  private static final Set<String> KEYS = Set.of("propeller.workers", "propeller.scan-interval", "grpc.host");

  @TempDir Path directory;

  private Path yaml(String text) throws Exception {
    Path file = directory.resolve("starling.yaml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void nestedYamlKeysBecomeDottedKeys() throws Exception {
    Settings settings = Settings.load(yaml("propeller:\n  workers: 6\n  scan-interval: 500ms\n"),
        Map.of(), KEYS);

    assertThat(settings.integer("propeller.workers", 1)).isEqualTo(6);
    assertThat(settings.duration("propeller.scan-interval", Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.string("grpc.host", "fallback")).isEqualTo("fallback");
  }

  @Test
  void environmentVariablesOverrideTheFile() throws Exception {
    Settings settings = Settings.load(yaml("propeller:\n  workers: 6\n"),
        Map.of("STARLING_PROPELLER_WORKERS", "12", "STARLING_PROPELLER_SCAN_INTERVAL", "PT3S"), KEYS);

    assertThat(settings.integer("propeller.workers", 1)).isEqualTo(12);
    assertThat(settings.duration("propeller.scan-interval", Duration.ZERO)).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void anUnknownKeyIsAnErrorNamingIt() throws Exception {
    Path file = yaml("propeller:\n  wokers: 6\n");

    assertThatThrownBy(() -> Settings.load(file, Map.of(), KEYS))
        .hasMessageContaining("unknown configuration key 'propeller.wokers'");
  }

  @Test
  void aValueOfTheWrongKindIsAnErrorNamingTheKey() throws Exception {
    Settings settings = Settings.load(yaml("propeller:\n  workers: many\n  scan-interval: soon\n"),
        Map.of(), KEYS);

    assertThatThrownBy(() -> settings.integer("propeller.workers", 1))
        .hasMessageContaining("propeller.workers must be an integer, got 'many'");
    assertThatThrownBy(() -> settings.duration("propeller.scan-interval", Duration.ZERO))
        .hasMessage("propeller.scan-interval: 'soon' is not a duration; expected "
            + io.starling.proto.DurationText.FORMS);
  }

  @Test
  void everyDeclaredKeyMapsOntoTheOptionsWithoutError() {
    StarlingConfig config = StarlingConfig.load(null, Map.of("STARLING_PROPELLER_WORKERS", "3"));

    assertThat(config.propeller().workers()).isEqualTo(3);
    assertThat(config.shards()).isEqualTo(271);
    assertThat(config.grpcPort()).isEqualTo(StarlingConfig.DEFAULT_GRPC_PORT);
  }

  @Test
  void theWatchPollIntervalIsAnAdminOption() {
    assertThat(StarlingConfig.load(null, Map.of()).admin().watchPollInterval())
        .isEqualTo(Duration.ofMillis(200));
    assertThat(StarlingConfig.load(null, Map.of("STARLING_ADMIN_WATCH_POLL_INTERVAL", "1s"))
        .admin().watchPollInterval()).isEqualTo(Duration.ofSeconds(1));
  }
}
