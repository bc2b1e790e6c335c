import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../api/client';
import { LIVE_EVENTS, type LiveEvent } from '../../api/updater';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

const RETRY_MS = 5000;

/**
 * updater-service's `/api/ws` for as long as the page is open: subscribes to the container
 * events of the tenant (the service filters by the token's tenant) and hands each to `onEvent`.
 * A closed socket is opened again after a pause, so a restarted service is heard again.
 */
export function useContainerEvents(api: ApiClient, onEvent: (event: LiveEvent) => void): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => {
    let socket: WebSocket | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      socket = new WebSocket(api.socketUrl('/api/ws'));
      socket.onopen = () => socket?.send(JSON.stringify({ type: 'subscribe', data: { events: LIVE_EVENTS } }));
      socket.onmessage = (message) => {
        let event: LiveEvent;
        try {
          event = JSON.parse(String(message.data)) as LiveEvent;
        } catch {
          return;
        }
        if (event.type === 'subscribed') {
          setState('live');
        } else if (LIVE_EVENTS.includes(event.type)) {
          handler.current(event);
        }
      };
      socket.onclose = () => {
        if (!stopped) {
          setState('reconnecting');
          retry = setTimeout(open, RETRY_MS);
        }
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      socket?.close();
    };
  }, [api]);
  return state;
}
