import path from 'node:path';
import type { VerificationStatus } from '@shared/api';
import { verificationStatus } from '@shared/verification';
import type { RunningServer } from '@bff/server';
import { labelUrl } from '@bff/services/labelSignature';
import type { MockWechat } from '@mock/wechat/server';
import { seedDemo } from '../../scripts/demo';
import { startBackend } from './app';
import { uniqueDbName } from './mongo';

export interface Stack {
  baseUrl: string;
  server: RunningServer;
  wechat: MockWechat;
  demo: {
    /** A label URL (on this stack's origin) of a demo instrument whose status is `status`. */
    instrumentUrl(status: VerificationStatus): Promise<string>;
  };
  stop(): Promise<void>;
}

/**
 * The whole product as `npm start` runs it, for browser and mini-program tests: the BFF serving
 * the built H5 app, the admin workspace and the API, on the embedded MongoDB (or MONGODB_URI), with mock WeChat and,
 * when asked, the demo data set.
 */
export async function startStack(opts: { seed?: boolean; businesses?: number; env?: Record<string, string> } = {}): Promise<Stack> {
  const { config, server, wechat, stop } = await startBackend({
    MONGODB_DB: uniqueDbName('stack'),
    H5_DIR: path.resolve(__dirname, '../../miniapp/dist/h5'),
    ADMIN_DIR: path.resolve(__dirname, '../../miniapp/dist/admin'),
    ...opts.env,
  });
  // Labels must point at this stack, so sign them for its own origin.
  config.publicBaseUrl = server.url;
  if (opts.seed) await seedDemo(server.deps.models, { businesses: opts.businesses ?? 40 });

  return {
    baseUrl: server.url,
    server,
    wechat,
    demo: {
      async instrumentUrl(status) {
        const { Instrument, Verification } = server.deps.models;
        const asOf = new Date();
        for await (const instrument of Instrument.find().lean().cursor()) {
          const history = await Verification.find({ instrument: instrument._id }).lean();
          if (verificationStatus(instrument, history, asOf) === status) return labelUrl(server.url, instrument.code, config.qrSigningSecret);
        }
        throw new Error(`no demo instrument with status ${status}`);
      },
    },
    stop,
  };
}
