/**
 * A tiny external store around the reducer, so the controller (scans, timers) can feed it from
 * outside React; components read it through `useAppState`.
 */
import { useSyncExternalStore } from 'react';
import { reducer } from './state.js';
import type { Action, State } from './types.js';

export interface Store {
  getState(): State;
  dispatch(a: Action): void;
  subscribe(listener: () => void): () => void;
}

export function createStore(initial: State): Store {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(a) {
      const next = reducer(state, a);
      if (next === state) return;
      state = next;
      for (const l of [...listeners]) l();
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

/** The one hook components get their state from. */
export function useAppState(store: Store): State {
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}
