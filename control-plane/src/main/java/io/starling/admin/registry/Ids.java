package io.starling.admin.registry;

import io.starling.admin.AdminException;
import io.starling.proto.Names;
import io.starling.proto.Quote;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.ResourceType;
import java.util.regex.Pattern;

/** Validation and printing of identifiers. */
public final class Ids {

  private static final Pattern VERSION = Pattern.compile("[\\x21-\\x7e]{1,255}");
  private static final Pattern EXECUTION_NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  private Ids() {}

  /** Checks {@code id} and returns it with its resource type set to {@code type}. */
  public static Identifier valid(Identifier id, ResourceType type, String field) {
    if (id.getResourceType() != ResourceType.RESOURCE_TYPE_UNSPECIFIED && id.getResourceType() != type) {
      throw AdminException.invalid(field + ".resource_type must be " + type + ", got " + id.getResourceType());
    }
    name(id.getProject(), field + ".project");
    name(id.getDomain(), field + ".domain");
    name(id.getName(), field + ".name");
    if (!VERSION.matcher(id.getVersion()).matches()) {
      throw AdminException.invalid(field + ".version must be 1-255 printable ASCII characters other than"
          + " space (! to ~), got " + Quote.of(id.getVersion()));
    }
    return id.toBuilder().setResourceType(type).build();
  }

  /** Checks a project, domain or entity name. */
  public static String name(String value, String field) {
    if (!Names.isName(value)) {
      throw AdminException.invalid(field + " must be 1-255 characters of [A-Za-z0-9_.-], got "
          + Quote.of(value));
    }
    return value;
  }

  public static ExecutionIdentifier valid(ExecutionIdentifier id, String field) {
    name(id.getProject(), field + ".project");
    name(id.getDomain(), field + ".domain");
    executionName(id.getName(), field + ".name");
    return id;
  }

  public static String executionName(String name, String field) {
    if (!EXECUTION_NAME.matcher(name).matches()) {
      throw AdminException.invalid(field + " must be 1-63 characters of [a-z0-9-] starting with a"
          + " letter, got " + Quote.of(name));
    }
    return name;
  }

  public static String describe(Identifier id) {
    return id.getProject() + "/" + id.getDomain() + "/" + id.getName() + "@" + id.getVersion();
  }

  public static String describe(ExecutionIdentifier id) {
    return id.getProject() + "/" + id.getDomain() + "/" + id.getName();
  }

}
