package io.starling.admin.api;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Timestamp;
import io.starling.auth.ApiKeyStore;
import io.starling.auth.Authenticator;
import io.starling.auth.Principal;
import io.starling.auth.Role;
import io.starling.auth.StoredKey;
import io.starling.proto.Names;
import io.starling.proto.admin.ApiKey;
import io.starling.proto.admin.ApiKeyCreateRequest;
import io.starling.proto.admin.ApiKeyCreateResponse;
import io.starling.proto.admin.ApiKeyList;
import io.starling.proto.admin.ApiKeyListRequest;
import io.starling.proto.admin.ApiKeyRevokeRequest;
import io.starling.proto.admin.ApiKeyRevokeResponse;
import io.starling.proto.admin.ApiKeyServiceGrpcService;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.Service;
import io.vertx.grpc.server.StatusException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ApiKeyService: keys created (the text in the answer only), listed and revoked, by an admin
 * of the key's project (of every project for keys of {@code *} and for a list of them all).
 * A revocation is forgotten by this replica's authenticator at once.
 */
public final class ApiKeyEndpoint implements Service {

  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyEndpoint.class);
  private static final int MAX_NAME = 255;

  private final ApiKeyStore store;
  private final Authenticator auth;
  private final int maxMessageBytes;

  public ApiKeyEndpoint(ApiKeyStore store, Authenticator auth, int maxMessageBytes) {
    this.store = store;
    this.auth = auth;
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  public ServiceName name() {
    return ApiKeyServiceGrpcService.SERVICE_NAME;
  }

  @Override
  public Descriptors.ServiceDescriptor descriptor() {
    return ApiKeyServiceGrpcService.SERVICE_DESCRIPTOR;
  }

  @Override
  public void bind(GrpcServer server) {
    CallEnds.unary(server, ApiKeyServiceGrpcService.CreateApiKey, auth, this::create,
        maxMessageBytes);
    CallEnds.unary(server, ApiKeyServiceGrpcService.ListApiKeys, auth, this::list,
        maxMessageBytes);
    CallEnds.unary(server, ApiKeyServiceGrpcService.RevokeApiKey, auth, this::revoke,
        maxMessageBytes);
  }

  private Future<ApiKeyCreateResponse> create(Principal who, ApiKeyCreateRequest request) {
    if (request.getName().isBlank() || request.getName().length() > MAX_NAME) {
      throw invalid("name must have 1-" + MAX_NAME + " characters");
    }
    String project = request.getProject();
    if (!Principal.ALL_PROJECTS.equals(project) && !Names.isName(project)) {
      throw invalid("project must be '*' or 1-255 characters of [A-Za-z0-9_.-], got '"
          + project + "'");
    }
    if (request.getRolesCount() == 0) {
      throw invalid("roles must name at least one of read, launch, register, worker, admin");
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String role : request.getRolesList()) {
      try {
        roles.add(Role.of(role));
      } catch (IllegalArgumentException e) {
        throw invalid("roles: " + e.getMessage());
      }
    }
    auth.require(who, Role.ADMIN, scope(project));
    return store.create(request.getName(), project, roles).map(created -> {
      LOG.atInfo().addKeyValue("key", created.key().keyId()).addKeyValue("project", project)
          .addKeyValue("by", who.describe()).log("API key created");
      return ApiKeyCreateResponse.newBuilder().setKey(message(created.stored()))
          .setText(created.key().text()).build();
    });
  }

  private Future<ApiKeyList> list(Principal who, ApiKeyListRequest request) {
    auth.require(who, Role.ADMIN, request.getProject());
    return store.list(request.getProject()).map(keys -> {
      ApiKeyList.Builder list = ApiKeyList.newBuilder();
      keys.forEach(key -> list.addKeys(message(key)));
      return list.build();
    });
  }

  private Future<ApiKeyRevokeResponse> revoke(Principal who, ApiKeyRevokeRequest request) {
    String notFound = "no API key " + request.getId();
    return store.find(request.getId()).compose(found -> {
      // A key of another project is "not found" to whoever may not manage it.
      if (found.isEmpty() || !who.may(Role.ADMIN, scope(found.get().project()))) {
        return Future.failedFuture(new StatusException(GrpcStatus.NOT_FOUND, notFound));
      }
      return store.revoke(request.getId()).map(revoked -> {
        auth.forget(request.getId());
        LOG.atInfo().addKeyValue("key", request.getId()).addKeyValue("by", who.describe())
            .log(revoked ? "API key revoked" : "API key was revoked already");
        return ApiKeyRevokeResponse.getDefaultInstance();
      });
    });
  }

  /** The project a principal must administer to manage keys of {@code project}. */
  private static String scope(String project) {
    return Principal.ALL_PROJECTS.equals(project) ? "" : project;
  }

  private static ApiKey message(StoredKey key) {
    ApiKey.Builder message = ApiKey.newBuilder().setId(key.keyId()).setName(key.name())
        .setProject(key.project()).setCreatedAt(timestamp(key.createdAt()));
    key.roles().forEach(role -> message.addRoles(role.id()));
    if (key.revoked()) {
      message.setRevokedAt(timestamp(key.revokedAt()));
    }
    return message.build();
  }

  private static Timestamp timestamp(Instant time) {
    return Timestamp.newBuilder().setSeconds(time.getEpochSecond()).setNanos(time.getNano())
        .build();
  }

  private static StatusException invalid(String why) {
    return new StatusException(GrpcStatus.INVALID_ARGUMENT, why);
  }
}
