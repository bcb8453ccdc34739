import { ensureBuild } from './miniapp/helpers/build';

/**
 * Builds the mini-program once, before any test file runs, so the weapp, browser and npm-start
 * tests (which run in parallel workers) never race each other writing the same dist folder.
 */
export default function globalSetup(): void {
  ensureBuild('h5');
  ensureBuild('weapp');
}
