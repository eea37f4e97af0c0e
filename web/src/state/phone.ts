// The signed-in user's phone in the page: which device rings (browser or SIP phone), and the
// softphone registered while the browser is chosen, with credentials fetched fresh per session.
import type { ApiClient } from '../api/client';
import { describeError } from '../api/describe';
import { isApiError } from '../api/errors';
import type { Me, RingDevice } from '../api/types';
import type { MessageKey } from '../i18n';
import { Store } from '../lib/store';
import { callFailure } from '../softphone/describe';
import { Softphone } from '../softphone/phone';
import type { MediaPort, PhoneCall, UaFactory } from '../softphone/types';
import type { Notices } from './notices';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

export interface PhoneDeps {
  api: ApiClient;
  notices: Notices;
  t: T;
  makeUa: UaFactory;
  media: MediaPort;
  /** A call of the softphone was answered (either side). */
  onTalking: (call: PhoneCall) => void;
  now?: () => number;
}

/** After a refused registration (a stale secret: the server restarted), fetch fresh ones this often at most. */
const AUTH_RETRY_MS = 60_000;

export class PhoneControl {
  /** Which device rings for me; null: the server has no browser softphone (the choice is hidden). */
  readonly ring = new Store<RingDevice | null>(null);
  readonly softphone: Softphone;
  private active = false;
  private lastFetch = -Infinity;
  private readonly now: () => number;

  constructor(private readonly deps: PhoneDeps) {
    this.now = deps.now ?? Date.now;
    this.softphone = new Softphone(deps.makeUa, deps.media, this.now);
    let talking: number | null = null;
    let reported: number | null = null;
    this.softphone.state.subscribe((s) => {
      const failure = s.call ? callFailure(s.call) : null;
      if (failure && s.call && reported !== s.call.seq) {
        reported = s.call.seq;
        deps.notices.push('error', deps.t('notice.placedFailed', { reason: deps.t(failure) }));
      }
      if (s.call?.phase === 'talking' && talking !== s.call.seq) {
        talking = s.call.seq;
        deps.onTalking(s.call);
      }
      const r = s.registration;
      if (this.active && this.ring.get() === 'browser' && r.state === 'failed' && r.reason === 'Authentication Error' && this.now() - this.lastFetch > AUTH_RETRY_MS)
        void this.register();
    });
  }

  /** After sign-in: the ring device, and the softphone when it is the browser. */
  async begin(me: Me): Promise<void> {
    this.active = true;
    let ring: RingDevice | null = me.ring_device ?? null;
    if (!ring) {
      try {
        ring = await this.deps.api.myDevice();
      } catch {
        ring = null; // a server without the route: no choice to offer
      }
    }
    if (!this.active) return;
    this.ring.set(ring);
    if (ring === 'browser') await this.register();
  }

  /** Sign-out: unregister, and wait for it (before the session's secret dies with the token). */
  async end(): Promise<void> {
    this.active = false;
    const stopped = this.softphone.stopped();
    this.ring.set(null);
    await stopped;
  }

  /** /me was refetched (resync): an administrator may have changed my ring device meanwhile. */
  async sync(ring: RingDevice | undefined): Promise<void> {
    if (!this.active || ring === undefined || ring === this.ring.get()) return;
    this.ring.set(ring);
    if (ring === 'browser') await this.register();
    else this.softphone.stop();
  }

  /** My choice of ring device; returns whether it was saved. */
  async choose(ring: RingDevice): Promise<boolean> {
    try {
      const saved = await this.deps.api.setMyDevice(ring);
      this.ring.set(saved);
      if (saved === 'browser') await this.register();
      else this.softphone.stop();
      this.deps.notices.push('success', this.deps.t(saved === 'browser' ? 'notice.ringBrowser' : 'notice.ringSipPhone'));
      return true;
    } catch (e) {
      if (!(isApiError(e) && e.status === 401)) this.deps.notices.push('error', describeError(this.deps.t, e));
      return false;
    }
  }

  /** Fetches this session's credentials and registers with them. */
  async register(): Promise<void> {
    this.lastFetch = this.now();
    try {
      const credentials = await this.deps.api.softphone();
      if (!this.active || this.ring.get() !== 'browser') return;
      this.softphone.start(credentials);
      void this.softphone.refreshPermission();
    } catch (e) {
      if (!this.active) return;
      this.softphone.unavailable(isApiError(e) && e.status === 404 ? 'unavailable' : describeError(this.deps.t, e));
    }
  }
}
