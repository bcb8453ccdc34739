import { DEMO_ACCOUNTS, seedDemo } from '../../scripts/demo';
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ seed: true, businesses: 40 });
});
afterAll(() => stack.stop());

describe('the demo data set as npm start seeds it', () => {
  it('fills an empty database with businesses, instruments and verifications', async () => {
    const { Business, Instrument, Verification } = stack.server.deps.models;
    expect(await Business.countDocuments()).toBe(40);
    expect(await Instrument.countDocuments()).toBeGreaterThan(40);
    expect(await Verification.countDocuments()).toBeGreaterThan(0);
  });

  it('offers demo instruments in each status, reachable by scanning their labels', async () => {
    for (const status of ['valid', 'overdue', 'failed'] as const) {
      const url = await stack.demo.instrumentUrl(status);
      const res = await fetch(`${stack.baseUrl}/api/v1/scan?q=${encodeURIComponent(url)}`);
      const body = await res.json();
      expect({ status: body.status, signature: body.signature }).toEqual({ status, signature: 'valid' });
    }
  });

  it('lets every demo account sign in', async () => {
    for (const a of DEMO_ACCOUNTS) {
      const res = await fetch(`${stack.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: a.username, password: a.password }),
      });
      expect({ user: a.username, status: res.status }).toEqual({ user: a.username, status: 200 });
    }
  });

  it('never seeds twice', async () => {
    const again = await seedDemo(stack.server.deps.models, { businesses: 40 });
    expect(again.seeded).toBe(false);
    expect(await stack.server.deps.models.Business.countDocuments()).toBe(40);
  });
});
