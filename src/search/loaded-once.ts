/**
 * What the search page loads on first need (the facts, the catalogue's patterns, what a named
 * problem shows, the filters' facts): the first call starts the load and later calls share it.
 * A load that fails is forgotten, so the next call tries again instead of failing for the rest
 * of the page's life.
 */
export function loadedOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    if (!loading) {
      const started = load();
      loading = started;
      started.catch(() => {
        if (loading === started) loading = undefined;
      });
    }
    return loading;
  };
}

/** loadedOnce for each key (what each shown page's facts are, by page id). */
export function loadedOncePerKey<K, T>(load: (key: K) => Promise<T>): (key: K) => Promise<T> {
  const loaders = new Map<K, () => Promise<T>>();
  return (key) => {
    let loader = loaders.get(key);
    if (!loader) {
      loader = loadedOnce(() => load(key));
      loaders.set(key, loader);
    }
    return loader();
  };
}
