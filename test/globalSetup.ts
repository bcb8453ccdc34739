import { ensureBuild } from './miniapp/helpers/build';

/**
 * Builds the mini-program and the admin workspace once, before any test file runs, so the weapp, browser and npm-start
 * tests (which run in parallel workers) never race each other writing the same dist folder.
 * jest waits for the returned promise: a failed build fails the run before any test starts.
 */
export default async function globalSetup(): Promise<void> {
  await ensureBuild('h5');
  await ensureBuild('weapp');
  await ensureBuild('admin');
}
