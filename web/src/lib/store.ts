/** A value with subscribers: the app's state containers (views read them through useStore). */
export class Store<T> {
  private readonly listeners = new Set<(value: T) => void>();
  private changes = 0;

  constructor(private value: T) {}

  get(): T {
    return this.value;
  }

  set(value: T): void {
    if (Object.is(value, this.value)) return;
    this.value = value;
    this.changes++;
    for (const listener of [...this.listeners]) listener(value);
  }

  /** Counts the changes: a snapshot fetched meanwhile is older than the store. */
  get version(): number {
    return this.changes;
  }

  update(change: (value: T) => T): void {
    this.set(change(this.value));
  }

  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** What a KeyValue storage needs (localStorage, or a Map in tests). */
export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function memoryStorage(): KeyValue {
  const map = new Map<string, string>();
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

/** localStorage when the page has one (and it works), else memory. */
export function browserStorage(): KeyValue {
  try {
    const s = globalThis.localStorage;
    if (s) {
      s.setItem('suflyor.probe', '1');
      s.removeItem('suflyor.probe');
      return s;
    }
  } catch {
    /* private mode or no DOM */
  }
  return memoryStorage();
}

/**
 * Loads a snapshot into the store unless the store changed while it was in flight (a live event
 * or an action's reply is newer than the snapshot's start): then it fetches again.
 */
export async function loadSnapshot<T>(store: Store<T>, fetch: () => Promise<T>, attempts = 3): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    const before = store.version;
    const value = await fetch();
    if (store.version === before || i === attempts - 1) {
      if (store.version === before) store.set(value);
      return;
    }
  }
}
