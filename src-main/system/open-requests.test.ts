// Files the system asks the app to open: kept until taken once, announced to a running renderer, and paths that
// arrive before the services exist are forwarded when they do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventBus } from '../ipc/event-bus.ts';
import { OpenRequestInbox, OpenRequests } from './open-requests.ts';

function queue() {
  const bus = new EventBus();
  const events: unknown[] = [];
  bus.subscribe((name, payload) => name === 'system.openFiles' && events.push(payload));
  return { requests: new OpenRequests(bus), events };
}

test('open requests are announced, taken once, and a path asked twice is kept once', () => {
  const { requests, events } = queue();
  requests.push(['/data/run1/IM1.dcm']);
  requests.push(['/data/run1/IM1.dcm', '/data/run1/IM2.dcm']);
  assert.deepEqual(events, [{ paths: ['/data/run1/IM1.dcm'] }, { paths: ['/data/run1/IM1.dcm', '/data/run1/IM2.dcm'] }]);
  assert.deepEqual(requests.take(), ['/data/run1/IM1.dcm', '/data/run1/IM2.dcm']);
  assert.deepEqual(requests.take(), [], 'handed over once');
  requests.push([]);
  assert.equal(events.length, 2, 'nothing new, nothing announced');
});

test('paths that arrive before the services exist are forwarded when they connect, later ones at once', () => {
  const { requests, events } = queue();
  const inbox = new OpenRequestInbox();
  inbox.push(['/early/A.dcm']);
  assert.equal(events.length, 0);
  inbox.connect(requests);
  inbox.push(['relative/B.dcm']);
  const taken = requests.take();
  assert.equal(taken[0], '/early/A.dcm');
  assert.match(taken[1]!, /^\/.*\/relative\/B\.dcm$/, 'relative paths are made absolute');
  assert.equal(events.length, 2);
});
