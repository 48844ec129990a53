import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import type { FireRequest, FireResult } from './ack-client.js';

const ENTRY = resolve(import.meta.dirname, 'ack-client.ts');
const TSX = import.meta.resolve('tsx');
const TIMEOUT_MS = 60_000;

/** Sends batches of signed events from a separate process, all at once, timing each ack. */
export interface AckSender {
  fire(url: string, events: FireRequest['events']): Promise<FireResult['acks']>;
  close(): void;
}

/** Forks the ack client and waits until it is ready. */
export async function startAckSender(): Promise<AckSender> {
  const child = fork(ENTRY, [], {
    execArgv: ['--import', TSX],
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(type: string) =>
    new Promise<T>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`ack client: no ${type}`)), TIMEOUT_MS);
      const onMessage = (m: { type: string }) => {
        if (m.type !== type) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolvePromise(m as T);
      };
      child.on('message', onMessage);
    });
  await next('ready');
  return {
    async fire(url, events) {
      const fired = next<FireResult>('fired');
      child.send({ type: 'fire', url, events } satisfies FireRequest);
      return (await fired).acks;
    },
    close: () => child.kill(),
  };
}
