/**
 * An empty record without a prototype. Workspace paths are user data: a file named `__proto__`
 * or `constructor` must be an ordinary key, never the object's prototype.
 */
export function pathRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
