import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../../src/slack/listeners/index.js';

/** One listener registration: the Bolt method used and its constraint (id, name or object). */
export interface Registration {
  method: string;
  /** The string id, `String(regexp)`, or undefined for `message()` without a pattern. */
  id?: string;
  /** Constraint objects such as `{ type: 'message', callback_id: … }`, as given. */
  constraints?: Record<string, unknown>;
}

/** Bolt registration methods whose first argument, when not a function, is a constraint. */
const CONSTRAINED = ['event', 'message', 'command', 'shortcut', 'action', 'view', 'options'];
/** Registration methods that take only middleware. */
const UNCONSTRAINED = ['use', 'error'];
/** The key Bolt uses for the id in each method's constraint object. */
const ID_KEY: Record<string, string> = {
  shortcut: 'callback_id',
  view: 'callback_id',
  action: 'action_id',
  options: 'action_id',
};

function record(method: string, first: unknown): Registration {
  if (typeof first === 'function' || first === undefined) return { method };
  if (typeof first === 'string') return { method, id: first };
  if (first instanceof RegExp) return { method, id: String(first) };
  const constraints = first as Record<string, unknown>;
  const id = constraints[ID_KEY[method] ?? ''];
  return { method, constraints, ...(id !== undefined && { id: String(id) }) };
}

/**
 * A stand-in for Bolt's App that records what `registerListeners` registers. Anything else
 * touched during registration fails loudly, so a new kind of registration is never missed.
 */
export function createRecordingApp(): { app: App; registrations: Registration[] } {
  const registrations: Registration[] = [];
  const methods: Record<string, (...args: unknown[]) => unknown> = {};
  for (const method of CONSTRAINED) {
    methods[method] = (first: unknown) => {
      registrations.push(record(method, first));
      return proxy;
    };
  }
  for (const method of UNCONSTRAINED) {
    methods[method] = () => {
      registrations.push({ method });
      return proxy;
    };
  }
  const proxy: object = new Proxy(methods, {
    get(target, prop) {
      if (typeof prop === 'string' && prop in target) return target[prop];
      if (prop === 'then') return undefined;
      throw new Error(`registerListeners used app.${String(prop)}: teach the manifest test it`);
    },
  });
  return { app: proxy as App, registrations };
}

/**
 * Listener dependencies that are never called while registering: any property is another
 * stub, so the test keeps working as `ListenerDeps` grows.
 */
export function createStubDeps(): ListenerDeps {
  const stub = (path: string): unknown =>
    new Proxy(() => stub(`${path}()`), {
      get: (_target, prop) => {
        if (prop === 'then') return undefined;
        if (prop === Symbol.toPrimitive) return () => path;
        return stub(`${path}.${String(prop)}`);
      },
    });
  return stub('deps') as ListenerDeps;
}
