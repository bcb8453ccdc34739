/**
 * Through the page: a regulator of 历下区 (370102) sees nothing of another district (市中区,
 * 370103) on any screen of the admin workspace, whatever the URL asks for, and every screen
 * passes axe-core (0 serious/critical) for the roles that have it.
 *
 * The screens come from the side menu's own table (miniapp/admin/src/menu.ts), so a screen added
 * later is walked too. Each one is opened with queries that point at the other district's planted
 * business (its name, id, codes, region, a detail drawer of it); the page's text must never name
 * it. As a check that the walk can see such data at all, an admin's walk does find it.
 */
import { Types } from 'mongoose';
import type { Page } from 'playwright-core';
import { refreshCurrentVerifications } from '@bff/services/currentVerification';
import { makeInstrumentCode } from '@shared/instrumentCode';
import { chinaDayNumber, chinaMidnight } from '@shared/verification';
import { SCREENS } from '../../miniapp/admin/src/menu';
import { adminWorkspace, expectSettledAccessible, settled, shoot, type AdminAccount } from './adminWorkspace';

const ws = adminWorkspace();

const foreign = {
  businessId: new Types.ObjectId(),
  instrumentId: new Types.ObjectId(),
  code: makeInstrumentCode({ regionCode: '370103', categoryCode: '0201', serial: 991001 }),
  externalCode: 'SDJL-370103-PAGEISOL',
  name: '市中区页面隔离测试加油站',
  certificate: 'PAGE-ISOL-370103-1',
};
const markers = [foreign.name, foreign.code, foreign.externalCode, foreign.certificate, String(foreign.businessId), String(foreign.instrumentId)];

beforeAll(async () => {
  const { Business, Instrument, Verification } = ws.stack.server.deps.models;
  await Business.create({ _id: foreign.businessId, name: foreign.name, industry: 'fuel', regionCode: '370103', address: '经七路 99 号', platformId: 'P370103991001' });
  await Instrument.create({ _id: foreign.instrumentId, code: foreign.code, externalCodes: [foreign.externalCode], category: 'fuel_dispenser', business: foreign.businessId, regionCode: '370103' });
  const today = chinaDayNumber(new Date());
  await Verification.create({
    instrument: foreign.instrumentId,
    ...({ business: foreign.businessId, regionCode: '370103' } as object), // what the intake writes on each verification
    date: chinaMidnight(today - 30),
    result: 'pass',
    institution: '山东省计量科学研究院',
    certificateNo: foreign.certificate,
    dueDate: chinaMidnight(today + 300),
  });
  await refreshCurrentVerifications(ws.stack.server.deps.models, [foreign.instrumentId]);
});

/** Queries a screen might read, each pointing at the other district's data; unknown ones are ignored by the screen. */
const POINTED = [
  '',
  `?q=${encodeURIComponent(foreign.name)}`,
  `?code=${encodeURIComponent(foreign.code)}`,
  `?instrument=${encodeURIComponent(foreign.externalCode)}`,
  `?region=370103`,
  `?business=${foreign.businessId}`,
  `?detail=${foreign.businessId}`,
  `?detail=${foreign.instrumentId}`,
  `?ids=${foreign.instrumentId}`,
  `?institution=${encodeURIComponent('山东省计量科学研究院')}`,
];

/** The page's text and the values of its inputs (a filter box holds what the URL asked for, which is not a leak). */
async function shownText(page: Page): Promise<string> {
  await settled(page);
  // Lists answer after the first paint: give the screen's requests time to land before reading.
  await page.waitForLoadState('networkidle');
  await settled(page);
  return page.evaluate(() => {
    const clone = document.body.cloneNode(true) as HTMLElement;
    clone.querySelectorAll('input, textarea, [role="combobox"]').forEach((el) => el.remove());
    return clone.innerText;
  });
}

const screensOf = (account: AdminAccount) => SCREENS.filter((s) => s.roles.includes(account === 'admin' ? 'admin' : 'regulator'));

describe('a regulator of 历下区', () => {
  test('sees nothing of 市中区 on any screen, whatever the URL points at', async () => {
    const page = await ws.signedInAs('lixia', '/dashboard');
    const leaks: string[] = [];
    for (const screen of screensOf('lixia')) {
      for (const query of POINTED) {
        await page.goto(ws.url(screen.path + query));
        await page.getByRole('heading', { name: screen.title }).first().waitFor();
        const text = await shownText(page);
        for (const m of markers) if (text.includes(m)) leaks.push(`${screen.path}${query} shows ${m}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(ws.errors(page).filter((e) => !/status of (403|404)/.test(e))).toEqual([]);
  }, 300_000);

  test('every screen of the region passes axe', async () => {
    const page = await ws.signedInAs('lixia', '/dashboard');
    for (const screen of screensOf('lixia')) {
      await page.goto(ws.url(screen.path));
      await page.getByRole('heading', { name: screen.title }).first().waitFor();
      await expectSettledAccessible(page, `${screen.path} (regulator)`);
    }
  }, 300_000);
});

describe('an admin', () => {
  test('finds the planted business through the same walk, so the walk can see a leak', async () => {
    const page = await ws.signedInAs('admin', `/businesses?q=${encodeURIComponent(foreign.name)}`);
    await page.getByRole('heading', { name: '经营者' }).first().waitFor();
    await page.locator('.ant-table-row', { hasText: foreign.name }).waitFor();
    expect(await shownText(page)).toContain(foreign.name);
    await page.goto(ws.url(`/instruments?code=${encodeURIComponent(foreign.code)}`));
    await page.locator('.ant-table-row', { hasText: foreign.code }).waitFor();
  });

  test('every screen passes axe', async () => {
    const page = await ws.signedInAs('admin', '/dashboard');
    for (const screen of screensOf('admin')) {
      await page.goto(ws.url(screen.path));
      await page.getByRole('heading', { name: screen.title }).first().waitFor();
      await expectSettledAccessible(page, `${screen.path} (admin)`);
      await shoot(page, `admin-screen${screen.path.replace(/\//g, '-')}`);
    }
  }, 300_000);
});
