package io.starling.propeller.round;

import java.util.Arrays;

/** A growable FIFO ring of ints: the ready set of an execution, without boxing. */
final class IntQueue {

  private int[] items;
  private int head;
  private int size;

  IntQueue(int capacity) {
    items = new int[Math.max(4, capacity)];
  }

  void add(int value) {
    if (size == items.length) {
      int[] grown = new int[items.length * 2];
      for (int i = 0; i < size; i++) {
        grown[i] = items[(head + i) % items.length];
      }
      items = grown;
      head = 0;
    }
    items[(head + size) % items.length] = value;
    size++;
  }

  int poll() {
    int value = items[head];
    head = (head + 1) % items.length;
    size--;
    return value;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  void clear() {
    head = 0;
    size = 0;
    Arrays.fill(items, 0);
  }
}
