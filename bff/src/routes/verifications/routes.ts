import { z } from 'zod';
import { takeVerifications } from '../../services/verificationIntake';
import { input, type RouteDef } from '../route';
import { VerificationBatch } from './schema';

export const verificationRoutes: RouteDef[] = [
  {
    method: 'post',
    path: '/api/v1/verifications',
    summary: '检定机构上报检定结果（API Key；每批最多 500 条，按证书编号幂等）',
    access: ['verifier', 'admin'],
    body: VerificationBatch,
    rateLimit: { name: 'verifications', points: 120, windowSeconds: 60 },
    async handler(ctx) {
      const { results } = input<z.infer<typeof VerificationBatch>>(ctx, 'body');
      const institution = ctx.state.user.displayName ?? '未注明机构';
      ctx.body = await takeVerifications(ctx.deps.models, results, institution);
    },
  },
];
