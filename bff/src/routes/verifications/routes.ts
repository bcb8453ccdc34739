import { posterOf, takeVerifications } from '../../services/verificationIntake';
import { defineRoute, type RouteDef } from '../route';
import { VerificationBatch } from '@shared/requests/verifications';

export const verificationRoutes: RouteDef[] = [
  defineRoute({
    method: 'post',
    path: '/api/v1/verifications',
    summary: '检定机构上报检定结果（API Key 或检定机构账号；每批最多 500 条，按证书编号幂等，只有出具机构可更正，逐条报告结果）',
    access: ['verifier', 'admin'],
    body: VerificationBatch,
    /** 500 rows of Chinese institution and verifier names run past the 100 KB default. */
    bodyLimit: 1024 * 1024,
    rateLimit: { name: 'verifications', points: 120, windowSeconds: 60 },
    async handler(ctx, input) {
      const { results } = input.body;
      const poster = await posterOf(ctx.deps.models, ctx.state.user);
      ctx.body = await takeVerifications(ctx.deps.models, results, poster);
    },
  }),
];
