import { Store } from '../lib/store';

export type NoticeKind = 'info' | 'success' | 'error';

export interface Notice {
  id: number;
  kind: NoticeKind;
  text: string;
}

/** The notification stack: errors stay until closed, the rest fade after a while. */
export class Notices {
  readonly list = new Store<Notice[]>([]);
  private next = 1;

  push(kind: NoticeKind, text: string, ttlMs = kind === 'error' ? 0 : 6000): number {
    // The same news from an action's reply and its live event shows once.
    const shown = this.list.get().find((n) => n.kind === kind && n.text === text);
    if (shown) return shown.id;
    const id = this.next++;
    this.list.update((l) => [...l.slice(-4), { id, kind, text }]);
    if (ttlMs > 0) setTimeout(() => this.dismiss(id), ttlMs);
    return id;
  }

  dismiss(id: number): void {
    this.list.update((l) => l.filter((n) => n.id !== id));
  }

  /** A notice about something still under way ("ringing your phone"): `settle(key)` ends it. */
  pushUntil(key: string, kind: NoticeKind, text: string, ttlMs: number): number {
    this.settle(key);
    const id = this.push(kind, text, ttlMs);
    this.pending.set(key, id);
    return id;
  }

  /** The thing is over: its notice goes. Returns whether one was shown. */
  settle(key: string): boolean {
    const id = this.pending.get(key);
    if (id === undefined) return false;
    this.pending.delete(key);
    const shown = this.list.get().some((n) => n.id === id);
    this.dismiss(id);
    return shown;
  }

  private readonly pending = new Map<string, number>();
}
