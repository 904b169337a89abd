// A bounded memo for pure answers that recur (Intl answers about zones and locales, instants on the slot grid):
// cleared whole when full, so keys taken from requests cannot grow it without bound.
export function remember<T>(store: Map<string, T>, key: string, compute: () => T, max = 5000): T {
  let value = store.get(key);
  if (value === undefined) {
    value = compute();
    if (store.size >= max) store.clear();
    store.set(key, value);
  }
  return value;
}
