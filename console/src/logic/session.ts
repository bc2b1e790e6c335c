/** A new access token and its lifetime in seconds (null: unknown). */
export interface Tokens {
  accessToken: string;
  expiresIn: number | null;
}

/** What of the browser's Web Locks API the keeper uses (absent in older browsers and jsdom). */
export interface Locks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** Shared by every tab of the console: one refresh at a time across tabs. */
export const REFRESH_LOCK = 'cumulus-console-refresh';

/**
 * When to refresh an access token that lives `expiresIn` seconds: at four fifths of its life, and
 * at least a minute before it ends, but not sooner than 10 s (a very short token would otherwise
 * be refreshed in a loop).
 */
export function refreshDelay(expiresIn: number): number {
  const life = expiresIn * 1000;
  return Math.max(10_000, Math.min(life * 0.8, life - 60_000));
}

const browserLocks = (): Locks | undefined => (globalThis.navigator as { locks?: Locks } | undefined)?.locks;

/**
 * Keeps a console session alive with the refresh-token cookie. auth-service rotates the cookie on
 * every refresh and ends the session when a spent one comes back, so two refreshes must never
 * present the same cookie: within a tab, callers share the refresh in flight (React's StrictMode
 * mounts twice in development); across tabs, a Web Lock lets one tab refresh at a time, the next
 * sending the cookie the first one received.
 */
export class SessionKeeper {
  private inFlight: Promise<Tokens> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly refreshFn: () => Promise<Tokens>,
    private readonly locks: Locks | undefined = browserLocks(),
  ) {}

  refresh(): Promise<Tokens> {
    this.inFlight ??= (this.locks ? this.locks.request(REFRESH_LOCK, this.refreshFn) : this.refreshFn()).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /**
   * Refreshes before the token of `expiresIn` seconds ends, and again after each success;
   * `onFailed` when a refresh is refused (the session ended elsewhere).
   */
  schedule(expiresIn: number | null, onRefreshed: (tokens: Tokens) => void, onFailed: (failure: unknown) => void): void {
    this.cancel();
    if (expiresIn === null || !(expiresIn > 0)) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refresh().then(
        (tokens) => {
          onRefreshed(tokens);
          this.schedule(tokens.expiresIn, onRefreshed, onFailed);
        },
        onFailed,
      );
    }, refreshDelay(expiresIn));
  }

  cancel(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
