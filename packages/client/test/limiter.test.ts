import { setTimeout as delay } from 'node:timers/promises';
import { expect, test } from 'vitest';
import { Limiter } from '../src/limiter.js';

test('never runs more than max tasks at once, and runs them all', async () => {
  const limiter = new Limiter(3);
  let active = 0;
  let peak = 0;
  const results = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      limiter.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await delay(5);
        active--;
        return i;
      }),
    ),
  );
  expect(peak).toBe(3);
  expect(results).toEqual(Array.from({ length: 12 }, (_, i) => i));
});

test('a failing task frees its slot', async () => {
  const limiter = new Limiter(1);
  await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  await expect(limiter.run(async () => 'next')).resolves.toBe('next');
});

test('an aborted waiter leaves the queue without running and without taking a slot', async () => {
  const limiter = new Limiter(1);
  let release = () => {};
  const first = limiter.run(() => new Promise<void>((resolve) => (release = resolve)));
  const controller = new AbortController();
  let ran = false;
  const waiting = limiter.run(async () => {
    ran = true;
  }, controller.signal);
  controller.abort(new Error('stop'));
  await expect(waiting).rejects.toThrow('stop');
  release();
  await first;
  await expect(limiter.run(async () => 'free')).resolves.toBe('free');
  expect(ran).toBe(false);
});

test('max must be a positive integer', () => {
  expect(() => new Limiter(0)).toThrow(RangeError);
  expect(() => new Limiter(2.5)).toThrow(RangeError);
});
