import { refreshDelay } from './session';

/** A platform admin's token for another tenant, as auth-service's act-as answers it. */
export interface ActingGrant {
  accessToken: string;
  /** Seconds the token lives (15 minutes unless auth-service is told otherwise). */
  expiresIn: number;
}

/** Runs `run` after `ms` and returns how to cancel it (setTimeout in the browser, a fake in tests). */
export type Schedule = (ms: number, run: () => void) => () => void;

const timers: Schedule = (ms, run) => {
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
};

/**
 * The short-lived token a platform admin acts on another tenant with (docs/console.md): held in
 * memory only, asked for again before it expires (no refresh token exists for it), and dropped
 * for good by `stop()` — switching back or signing out. A renewal that answers after `stop()`
 * is thrown away, so a dropped token never comes back.
 */
export class ActingToken {
  private token: string | null = null;
  private renewAt = 0;
  private expiresAt = 0;
  private inFlight: Promise<string> | null = null;
  private cancelTimer: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly obtain: () => Promise<ActingGrant>,
    private readonly onFailed: (failure: unknown) => void = () => {},
    private readonly now: () => number = () => Date.now(),
    private readonly schedule: Schedule = timers,
  ) {}

  /** The first token; fails as auth-service answered (403, 404...). */
  start(): Promise<string> {
    return this.renew();
  }

  /** The token now, if it has not expired (for what cannot wait: a WebSocket address, an upload's headers). */
  current(): string | null {
    return this.token !== null && this.now() < this.expiresAt ? this.token : null;
  }

  /** The token, renewed first when it is due (or gone); calls at once share one renewal. */
  fresh(): Promise<string> {
    if (this.stopped) {
      return Promise.reject(new Error('No longer acting on that tenant'));
    }
    if (this.token !== null && this.now() < this.renewAt) {
      return Promise.resolve(this.token);
    }
    return this.renew();
  }

  stop(): void {
    this.stopped = true;
    this.token = null;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  get active(): boolean {
    return !this.stopped;
  }

  private renew(): Promise<string> {
    this.inFlight ??= this.obtain()
      .then((grant) => {
        if (this.stopped) {
          throw new Error('No longer acting on that tenant');
        }
        const obtainedAt = this.now();
        this.token = grant.accessToken;
        this.renewAt = obtainedAt + refreshDelay(grant.expiresIn);
        this.expiresAt = obtainedAt + grant.expiresIn * 1000;
        this.cancelTimer?.();
        // Renewed ahead of time even when idle, so current() stays good for sockets and uploads.
        this.cancelTimer = this.schedule(refreshDelay(grant.expiresIn), () => {
          this.cancelTimer = null;
          this.renew().catch((failure: unknown) => {
            if (!this.stopped) {
              this.onFailed(failure);
            }
          });
        });
        return grant.accessToken;
      })
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }
}
