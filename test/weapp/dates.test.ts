/**
 * The mini-program's instrument page shows the China calendar days of the last verification:
 * the demo data stores them as China midnight (16:00 UTC the day before), which must not read
 * one day early.
 */
import { chinaDateString } from '@shared/verification';
import { startStack } from '../helpers/stack';
import { ensureBuild } from '../miniapp/helpers/build';
import { startWeappSimulator, waitFor, WeappSimulator } from './simulator';

type Stack = Awaited<ReturnType<typeof startStack>>;

let stack: Stack;
let weapp: WeappSimulator;

beforeAll(async () => {
  await ensureBuild('weapp');
  stack = await startStack({ seed: true, businesses: 10 });
  weapp = startWeappSimulator({ serverUrl: stack.baseUrl });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
});

test('a scanned label shows the verification day and 有效期至 as the days on the certificate, in China time', async () => {
  const labelUrl = await stack.demo.instrumentUrl('valid');
  const code = /\/i\/(\d+)-/.exec(labelUrl)![1];
  const { Instrument, Verification } = stack.server.deps.models;
  const instrument = await Instrument.findOne({ code }).lean();
  const latest = (await Verification.find({ instrument: instrument!._id }).sort({ date: -1 }).limit(1).lean())[0];
  const dueDay = chinaDateString(latest.dueDate!);
  // Stored as China midnight: the UTC calendar day is the day before, the bug this pins.
  expect(latest.dueDate!.toISOString().slice(0, 10)).not.toBe(dueDay);

  const page = await weapp.renderPage('pages/instrument/index', { q: encodeURIComponent(labelUrl) });
  await waitFor(() => (page.dom.textContent ?? '').includes('有效期至'), 'the instrument page to show the verification', 15_000);

  // Each InfoRow reads label then value.
  const text = page.dom.textContent ?? '';
  expect(text).toContain(`有效期至${dueDay}`);
  expect(text).toContain(`检定日期${chinaDateString(latest.date)}`);
});
