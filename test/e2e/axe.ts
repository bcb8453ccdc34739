/**
 * axe-core in the page under test: `expectAccessible(page, name)` fails, listing each rule,
 * its help text and the offending elements, when axe finds any violation of impact serious or
 * critical. Run it once the page has rendered what it is meant to show (after waiting for the
 * content, not the loading state).
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import type { AxeResults, ImpactValue, Result } from 'axe-core';

const BLOCKING: ReadonlySet<ImpactValue> = new Set<ImpactValue>(['serious', 'critical']);
let axeSource: string | undefined;

/**
 * axe-core's full result for the page as it is now (axe is injected once per document). The
 * product's Content-Security-Policy (script-src 'self') blocks `page.addScriptTag`'s inline
 * script, so axe's source is evaluated through the DevTools protocol, which CSP does not govern.
 */
export async function runAxe(page: Page): Promise<AxeResults> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) {
    axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    await page.evaluate(axeSource);
  }
  return page.evaluate(() => (window as unknown as { axe: typeof import('axe-core') }).axe.run(document, { resultTypes: ['violations'] }));
}

/** The serious and critical violations, one readable line per rule and element. */
export function describeViolations(violations: Result[]): string[] {
  return violations
    .filter((violation) => violation.impact && BLOCKING.has(violation.impact))
    .flatMap((violation) =>
      violation.nodes.map(
        (node) => `[${violation.impact}] ${violation.id}: ${violation.help} — ${node.target.join(' ')} ${node.failureSummary?.replace(/\s+/g, ' ') ?? ''}`.trim(),
      ),
    );
}

/** Fails the test when axe-core reports any serious or critical violation on `page`. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const results = await runAxe(page);
  const problems = describeViolations(results.violations);
  if (problems.length > 0) {
    throw new Error(`axe-core: ${problems.length} serious/critical violation(s) on ${name}:\n${problems.join('\n')}`);
  }
}
