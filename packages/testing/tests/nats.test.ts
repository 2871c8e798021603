import { connect } from 'node:net';
import { describe, expect, inject, test } from 'vitest';
import { describeWithNats, natsUrl, requireNats } from '../src/nats.js';

describe('NATS helpers', () => {
  test('natsUrl() is what the global setup provided; requireNats() throws saying how to set it when absent', () => {
    expect(natsUrl()).toBe(inject('natsUrl') || undefined);
    if (natsUrl() === undefined) expect(() => requireNats()).toThrow(/set NATS_URL=nats:\/\//);
    else expect(requireNats()).toBe(natsUrl());
  });
});

describeWithNats('describeWithNats (runs only with NATS_URL)', () => {
  test('the configured server accepts TCP connections', async () => {
    const url = new URL(requireNats());
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(url.port || 4222), url.hostname, () => {
        socket.end();
        resolve();
      });
      socket.once('error', reject);
    });
  });
});
