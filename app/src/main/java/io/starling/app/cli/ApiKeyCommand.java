package io.starling.app.cli;

import io.starling.auth.ApiKey;
import io.starling.auth.Principal;
import io.starling.proto.admin.ApiKeyCreateRequest;
import io.starling.proto.admin.ApiKeyCreateResponse;
import io.starling.proto.admin.ApiKeyList;
import io.starling.proto.admin.ApiKeyListRequest;
import io.starling.proto.admin.ApiKeyRevokeRequest;
import io.starling.proto.admin.ApiKeyServiceGrpcClient;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code starling apikey create|list|revoke|generate}: the server's API keys. */
@Command(name = "apikey", description = "Create, list and revoke API keys.",
    mixinStandardHelpOptions = true,
    subcommands = {ApiKeyCommand.Create.class, ApiKeyCommand.ListKeys.class,
        ApiKeyCommand.Revoke.class, ApiKeyCommand.Generate.class})
public final class ApiKeyCommand {

  @Command(name = "create", description = "Make a key of the project (-p) or of every project;"
      + " prints it once: it cannot be shown again.")
  static final class Create implements Callable<Integer> {

    @Mixin ServerOptions server;

    @Mixin HelpOption help;

    @Option(names = "--name", required = true, description = "What the key is for")
    String name;

    @Option(names = "--role", required = true, split = ",",
        description = "read, launch, register, worker or admin (several: --role read,launch)")
    List<String> roles;

    @Option(names = "--all-projects", description = "A key of every project instead of -p's")
    boolean allProjects;

    @Override
    public Integer call() {
      try (AdminClient client = server.connect()) {
        ApiKeyCreateResponse created = client.call(ApiKeyServiceGrpcClient.CreateApiKey,
            ApiKeyCreateRequest.newBuilder().setName(name)
                .setProject(allProjects ? Principal.ALL_PROJECTS : server.project)
                .addAllRoles(roles).build());
        System.err.println("key " + created.getKey().getId() + " of project "
            + created.getKey().getProject() + " (" + String.join(",",
                created.getKey().getRolesList()) + "); it is shown only now:");
        System.out.println(created.getText());
      }
      return 0;
    }
  }

  @Command(name = "list", description = "The keys of the project (-p), or of every project"
      + " with --all-projects; revoked ones too.")
  static final class ListKeys implements Callable<Integer> {

    @Mixin ServerOptions server;

    @Mixin OutputOption output;

    @Mixin HelpOption help;

    @Option(names = "--all-projects", description = "The keys of every project")
    boolean allProjects;

    @Override
    public Integer call() {
      try (AdminClient client = server.connect()) {
        ApiKeyList keys = client.call(ApiKeyServiceGrpcClient.ListApiKeys,
            ApiKeyListRequest.newBuilder().setProject(allProjects ? "" : server.project)
                .build());
        if (!output.table()) {
          output.print(keys, System.out);
          return 0;
        }
        System.out.printf("%-12s  %-20s  %-12s  %-22s  %-27s  %s%n", "ID", "NAME", "PROJECT",
            "ROLES", "CREATED", "REVOKED");
        keys.getKeysList().forEach(key -> System.out.printf(
            "%-12s  %-20s  %-12s  %-22s  %-27s  %s%n", key.getId(), key.getName(),
            key.getProject(), String.join(",", key.getRolesList()),
            Format.time(key.getCreatedAt()),
            key.hasRevokedAt() ? Format.time(key.getRevokedAt()) : "-"));
      }
      return 0;
    }
  }

  @Command(name = "revoke", description = "Revoke a key: it stops working at once here and"
      + " within auth.cache-ttl on the other replicas.")
  static final class Revoke implements Callable<Integer> {

    @Mixin ServerOptions server;

    @Mixin HelpOption help;

    @Parameters(paramLabel = "ID", description = "The key's id (12 hex digits)")
    String id;

    @Override
    public Integer call() {
      try (AdminClient client = server.connect()) {
        client.call(ApiKeyServiceGrpcClient.RevokeApiKey,
            ApiKeyRevokeRequest.newBuilder().setId(id).build());
        System.out.println("key " + id + " revoked");
      }
      return 0;
    }
  }

  @Command(name = "generate", mixinStandardHelpOptions = true, description = "Print a new"
      + " random key without a server, for auth.bootstrap-key (STARLING_AUTH_BOOTSTRAP_KEY).")
  static final class Generate implements Callable<Integer> {
    @Override
    public Integer call() {
      System.out.println(ApiKey.generate().text());
      return 0;
    }
  }
}
