package io.starling.sdk;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a task: its parameters are the task's inputs (by name; compile with
 * {@code -parameters}), its return value the output {@code o0}. {@link Task#method} and
 * {@link Task#methods} make tasks of such methods.
 * <pre>{@code
 * @TaskMethod(retries = 2)
 * static String addTwo(long a) { return Long.toString(a + 2); }
 * }</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface TaskMethod {

  /** The task's name; the method's name when empty. */
  String name() default "";

  /** Attempts after the first when the method throws. */
  int retries() default 0;
}
