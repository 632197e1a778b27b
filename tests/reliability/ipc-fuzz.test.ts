// Random and malformed messages on every channel of the contract, through main's registry as both hosts use it:
// each gets a typed error value ({code, message}), nothing throws out of the registry, no prototype is polluted,
// and the services keep answering. The harness WebSocket's own framing is fuzzed in e2e/security.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ZodType } from 'zod';
import { invokeChannels, pixelRoutes, sendChannels } from '../../src-preload/contract.ts';
import { closeAppContext, createAppContext, type AppContext } from '../../src-main/app/context.ts';
import { composeHandlers } from '../../src-main/app/handlers.ts';
import { projectRoot, sharedDataDir } from '../../src-main/app/paths.ts';
import { createIpcRegistry, type IpcRegistry } from '../../src-main/ipc/registry.ts';
import { seededRandom, type SeededRandom } from '../../src-main/random/seeded-random.ts';

const seed = Number(process.env.ANGIO_FUZZ_SEED ?? 777);
const ctx = { host: 'harness' as const, origin: 'fuzz' };
let app: AppContext;
let registry: IpcRegistry;
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'angio-ipc-fuzz-'));
  app = createAppContext({ appRoot: projectRoot(), dataDir: dir, sharedDataDir: sharedDataDir(), host: 'harness', log: () => undefined });
  registry = createIpcRegistry(composeHandlers(app));
});

after(async () => {
  await closeAppContext(app);
  rmSync(dir, { recursive: true, force: true });
});

const NASTY_STRINGS = ['', ' ', '\u0000', '../../../../etc/passwd', '<img src=x onerror=alert(1)>', 'x'.repeat(100_000), '\uD800', '%s%n', '${7*7}', 'constructor', '__proto__', '-1', 'NaN', '1e309'];
const NASTY_NUMBERS = [0, -1, 1.5, -0, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1, 1e308, -1e308, Number.NaN, Number.POSITIVE_INFINITY];

function randomValue(random: SeededRandom, depth = 0): unknown {
  switch (random.below(depth > 3 ? 5 : 8)) {
    case 0:
      return undefined;
    case 1:
      return null;
    case 2:
      return NASTY_NUMBERS[random.below(NASTY_NUMBERS.length)];
    case 3:
      return NASTY_STRINGS[random.below(NASTY_STRINGS.length)];
    case 4:
      return random.next() < 0.5;
    case 5:
      return Array.from({ length: random.below(4) }, () => randomValue(random, depth + 1));
    case 6: {
      // Deep nesting, as a hostile page could send.
      let value: unknown = {};
      for (let i = 0; i < 1 + random.below(5000); i++) value = { a: value };
      return value;
    }
    default: {
      const keys = ['jobId', 'root', 'instanceId', 'itemId', 'frame', 'width', 'height', 'size', 'reader', 'seed', 'name', 'path', '__proto__', 'constructor', 'prototype'];
      const object: Record<string, unknown> = {};
      for (let i = 0; i < 1 + random.below(4); i++) object[keys[random.below(keys.length)] as string] = randomValue(random, depth + 1);
      if (random.next() < 0.2) return JSON.parse(`{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}`);
      return object;
    }
  }
}

function assertTypedError(answer: unknown, where: string): void {
  const result = answer as { ok: boolean; error?: { code: unknown; message: unknown } };
  assert.equal(typeof result.ok, 'boolean', `${where}: not a Result`);
  if (!result.ok) {
    assert.equal(typeof result.error?.code, 'string', `${where}: error without a code`);
    assert.ok(typeof result.error?.message === 'string' && result.error.message.length > 0, `${where}: error without a message`);
    assert.notEqual(result.error?.code, 'internal', `${where}: an untyped failure reached the caller: ${String(result.error?.message)}`);
  }
}

test('every invoke channel answers malformed input with a typed error, never a throw', async () => {
  const random = seededRandom(seed);
  let tried = 0;
  for (const [channel, spec] of Object.entries(invokeChannels) as [string, { input: ZodType }][]) {
    for (let i = 0; i < 30; i++) {
      const input = randomValue(random);
      if (spec.input.safeParse(input ?? {}).success) continue; // valid messages start real work: tested elsewhere
      const answer = await registry.invoke(channel as never, input, ctx);
      assertTypedError(answer, `seed ${seed}: ${channel} with ${JSON.stringify(input)?.slice(0, 200)}`);
      assert.equal((answer as { ok: boolean }).ok, false);
      tried++;
    }
  }
  assert.ok(tried > Object.keys(invokeChannels).length * 10, `only ${tried} malformed messages were tried`);
});

test('every pixel route and one-way channel refuses malformed parameters', async () => {
  const random = seededRandom(seed + 1);
  for (const [route, spec] of Object.entries(pixelRoutes) as [string, { params: ZodType }][]) {
    for (let i = 0; i < 20; i++) {
      const params = randomValue(random);
      if (spec.params.safeParse(params).success) continue;
      assertTypedError(await registry.pixels(route as never, params, ctx), `seed ${seed}: pixels ${route} with ${JSON.stringify(params)?.slice(0, 200)}`);
    }
  }
  for (const [channel, schema] of Object.entries(sendChannels) as [string, ZodType][]) {
    for (let i = 0; i < 20; i++) {
      const payload = randomValue(random);
      if (schema.safeParse(payload).success) continue;
      const answer = registry.send(channel as never, payload, ctx);
      assert.equal(answer.ok, false, `seed ${seed}: send ${channel} accepted ${JSON.stringify(payload)?.slice(0, 200)}`);
    }
  }
});

test('channel names that are not in the contract (prototype keys included) are unknown, not dispatched', async () => {
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'system.info ', 'SYSTEM.INFO', '', 'audit.delete', 'store.exec']) {
    const answer = (await registry.invoke(name as never, {}, ctx)) as { ok: boolean; error: { code: string } };
    assert.equal(answer.ok, false, name);
    assert.equal(answer.error.code, 'unknown-channel', name);
    assert.equal(((await registry.pixels(name as never, {}, ctx)) as { ok: boolean }).ok, false, name);
    assert.equal(registry.send(name as never, {}, ctx).ok, false, name);
  }
});

test('after the fuzzing nothing is polluted and the services still answer', async () => {
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
  const info = (await registry.invoke('system.info', {}, ctx)) as { ok: boolean };
  assert.equal(info.ok, true);
});

test('no channel can edit or delete the audit log, and the database refuses it anyway', async () => {
  const names = Object.keys(invokeChannels).concat(Object.keys(sendChannels));
  assert.deepEqual(names.filter((n) => /audit/i.test(n) && !/\.(list|get|read|export)$/i.test(n)), [], 'a channel names the audit log with a verb other than reading it');
  app.store.db.prepare("INSERT INTO audit_log (at, os_account, action) VALUES ('2025-01-01', 'x', 'probe')").run();
  assert.throws(() => app.store.db.exec("UPDATE audit_log SET action = 'edited'"), /append-only/);
  assert.throws(() => app.store.db.exec('DELETE FROM audit_log'), /append-only/);
});
