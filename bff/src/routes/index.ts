import { adminVerificationRoutes } from './adminVerifications/routes';
import { apiKeyRoutes } from './apiKeys/routes';
import { authRoutes } from './auth/routes';
import { businessRoutes } from './businesses/routes';
import { dashboardRoutes } from './dashboard/routes';
import { healthRoutes } from './health/routes';
import { instrumentRoutes } from './instruments/routes';
import { importRoutes } from './instruments/import';
import { labelRoutes } from './labels/routes';
import { openApiRoutes } from './openapi/routes';
import type { RouteDef } from './route';
import { scanRoutes } from './scan/routes';
import { userRoutes } from './users/routes';
import { verificationRoutes } from './verifications/routes';

/** Every API route. The router, the auth matrix test and the OpenAPI document walk this table. */
export const allRoutes: readonly RouteDef[] = [
  ...healthRoutes,
  ...authRoutes,
  ...scanRoutes,
  ...instrumentRoutes,
  ...businessRoutes,
  ...importRoutes,
  ...labelRoutes,
  ...verificationRoutes,
  ...apiKeyRoutes,
  ...dashboardRoutes,
  ...userRoutes,
  ...adminVerificationRoutes,
  ...openApiRoutes(() => allRoutes),
];
