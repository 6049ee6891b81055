package io.starling.sdk;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Tasks made of {@link TaskMethod} methods: parameters as inputs, the return value as o0. */
final class MethodTasks {

  private MethodTasks() {}

  /** The tasks of {@code owner}'s annotated methods, by method name; static ones need no target. */
  static List<Task> all(Class<?> owner, Object target) {
    List<Task> tasks = new ArrayList<>();
    Arrays.stream(owner.getDeclaredMethods())
        .filter(method -> method.isAnnotationPresent(TaskMethod.class))
        .sorted(Comparator.comparing(Method::getName))
        .forEach(method -> tasks.add(of(method, target)));
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException(owner.getName() + " has no @TaskMethod method");
    }
    return tasks;
  }

  static Task named(Class<?> owner, Object target, String methodName) {
    List<Method> found = Arrays.stream(owner.getDeclaredMethods())
        .filter(method -> method.getName().equals(methodName)
            && method.isAnnotationPresent(TaskMethod.class)).toList();
    if (found.size() != 1) {
      throw new IllegalArgumentException(owner.getName() + " has " + (found.isEmpty() ? "no"
          : found.size()) + " @TaskMethod method named " + methodName);
    }
    return of(found.get(0), target);
  }

  private static Task of(Method method, Object target) {
    String where = method.getDeclaringClass().getSimpleName() + "." + method.getName();
    boolean isStatic = Modifier.isStatic(method.getModifiers());
    if (!isStatic && target == null) {
      throw new IllegalArgumentException(where + " is an instance method: pass the instance");
    }
    TaskMethod annotation = method.getAnnotation(TaskMethod.class);
    Task.Builder task = Task.named(annotation.name().isEmpty() ? method.getName()
        : annotation.name()).retries(annotation.retries());
    Parameter[] parameters = method.getParameters();
    List<String> names = new ArrayList<>();
    Map<String, Type<?>> types = new HashMap<>();
    for (Parameter parameter : parameters) {
      if (!parameter.isNamePresent()) {
        throw new IllegalArgumentException(where + ": parameter names are not in the class"
            + " file; compile with -parameters");
      }
      Type<?> type = JavaTypes.of(parameter.getParameterizedType(),
          where + " parameter " + parameter.getName());
      names.add(parameter.getName());
      types.put(parameter.getName(), type);
      task.input(parameter.getName(), type);
    }
    boolean hasOutput = method.getReturnType() != void.class;
    if (hasOutput) {
      task.output("o0", JavaTypes.of(method.getGenericReturnType(), where + " return value"));
    }
    method.setAccessible(true);
    Object receiver = isStatic ? null : target;
    return task.run(inputs -> {
      Object[] arguments = new Object[names.size()];
      for (int i = 0; i < arguments.length; i++) {
        arguments[i] = inputs.get(names.get(i), types.get(names.get(i)));
      }
      Object result = invoke(method, receiver, arguments, where);
      return hasOutput ? Collections.singletonMap("o0", result) : Map.of();
    });
  }

  private static Object invoke(Method method, Object receiver, Object[] arguments,
      String where) {
    try {
      return method.invoke(receiver, arguments);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException thrown) {
        throw thrown;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new TaskMethodException(where, e.getCause());
    } catch (IllegalAccessException | IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " cannot be called with "
          + Arrays.toString(arguments) + ": " + e.getMessage(), e);
    }
  }

  /** A checked exception a task method threw, carried through the task's function. */
  static final class TaskMethodException extends RuntimeException {
    TaskMethodException(String where, Throwable cause) {
      super(where + " threw " + cause, cause);
    }
  }
}
