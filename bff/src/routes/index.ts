import { adminVerificationRoutes } from './adminVerifications/routes';
import { apiKeyRoutes } from './apiKeys/routes';
import { articleRoutes } from './articles/routes';
import { authRoutes } from './auth/routes';
import { clientConfigRoutes } from './clientConfig/routes';
import { businessRoutes } from './businesses/routes';
import { complaintPhotoRoutes } from './complaints/photos';
import { complaintRoutes } from './complaints/routes';
import { dashboardRoutes } from './dashboard/routes';
import { healthRoutes } from './health/routes';
import { instrumentRoutes } from './instruments/routes';
import { importRoutes } from './instruments/import';
import { labelRoutes } from './labels/routes';
import { likeRoutes } from './likes/routes';
import { openApiRoutes } from './openapi/routes';
import { publicBusinessRoutes } from './publicBusinesses/routes';
import type { RouteDef } from './route';
import { scanRoutes } from './scan/routes';
import { userRoutes } from './users/routes';
import { verificationRoutes } from './verifications/routes';

/** Every API route. The router, the auth matrix test and the OpenAPI document walk this table. */
export const allRoutes: readonly RouteDef[] = [
  ...healthRoutes,
  ...clientConfigRoutes,
  ...authRoutes,
  ...scanRoutes,
  ...instrumentRoutes,
  ...businessRoutes,
  ...publicBusinessRoutes,
  ...articleRoutes,
  ...importRoutes,
  ...labelRoutes,
  ...verificationRoutes,
  ...apiKeyRoutes,
  ...likeRoutes,
  ...complaintPhotoRoutes,
  ...complaintRoutes,
  ...dashboardRoutes,
  ...userRoutes,
  ...adminVerificationRoutes,
  ...openApiRoutes(() => allRoutes),
];
