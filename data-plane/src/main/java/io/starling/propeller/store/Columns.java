package io.starling.propeller.store;

import io.vertx.sqlclient.Tuple;
import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of one statement as one typed array per column ({@code Long[]}, {@code Buffer[]},
 * ...), the form {@code unnest} takes them in. A round encodes its rows into columns once, on the
 * thread that decided it; a transaction concatenates the columns of its rounds, which copies
 * references only.
 */
final class Columns {

  private final int rows;
  private final Object[] arrays;

  /** @param arrays one typed array of {@code rows} elements per column */
  Columns(int rows, Object... arrays) {
    this.rows = rows;
    this.arrays = arrays;
  }

  int rows() {
    return rows;
  }

  /** The columns of every part, rows in part order; the parts have the same column types. */
  static Columns concat(List<Columns> parts) {
    Columns first = parts.get(0);
    if (parts.size() == 1) {
      return first;
    }
    int total = 0;
    for (Columns part : parts) {
      total += part.rows;
    }
    Object[] arrays = new Object[first.arrays.length];
    for (int column = 0; column < arrays.length; column++) {
      Object joined = Array.newInstance(first.arrays[column].getClass().getComponentType(), total);
      int at = 0;
      for (Columns part : parts) {
        System.arraycopy(part.arrays[column], 0, joined, at, part.rows);
        at += part.rows;
      }
      arrays[column] = joined;
    }
    return new Columns(total, arrays);
  }

  Tuple tuple() {
    return Tuple.tuple(Arrays.asList(arrays));
  }
}
