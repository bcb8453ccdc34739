/**
 * The HTTP contract's response shapes, shared by the BFF presenters and the mini-program's
 * API client. Request bodies are zod schemas in shared/schemas.ts; these are what comes back.
 */

export type Role = 'public' | 'guest' | 'owner' | 'regulator' | 'verifier' | 'admin';

export interface ApiError {
  error: { code: string; message: string; details?: unknown };
}

export interface ListResponse<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface SessionUser {
  id: string;
  role: Role;
  displayName?: string;
  /** GB/T 2260 code limiting what a regulator may see; absent for everyone else. */
  regionCode?: string;
  /** Verifier accounts and API keys: the verification institution they post for. */
  institution?: string;
}

export interface AuthResponse {
  token: string;
  /** Seconds until the token expires. */
  expiresIn: number;
  user: SessionUser;
}

/**
 * GET /api/v1/health: 200 `ready` once start-up (indexes, bootstrap admin, demo data) is done and
 * the database answers; 503 `starting` before that, 503 `degraded` when the database does not answer.
 */
export interface HealthResponse {
  status: 'starting' | 'ready' | 'degraded';
  version: string;
  db: { ok: boolean; roundTripMs: number };
}

export type VerificationStatus = 'valid' | 'expiring' | 'overdue' | 'failed' | 'unverified' | 'suspended';
export type SignatureState = 'valid' | 'invalid' | 'absent';
export type Grade = 'A' | 'B' | 'C' | 'D' | 'pending';

export interface VerificationView {
  id: string;
  /** The China calendar day of the verification, `YYYY-MM-DD` (Asia/Shanghai, +08:00). */
  date: string;
  result: 'pass' | 'fail';
  institution: string;
  certificateNo: string;
  /** The last China calendar day the certificate is valid (有效期至), `YYYY-MM-DD`; null when the category has no cycle. */
  dueDate: string | null;
}

export interface InstrumentView {
  id: string;
  code: string;
  externalCodes: string[];
  category: string;
  categoryName: string;
  model?: string;
  serial?: string;
  manufacturer?: string;
  installLocation?: string;
  status: 'in_use' | 'suspended' | 'retired';
  likes: number;
  businessId: string;
}

export interface BusinessSummary {
  id: string;
  name: string;
  industry: string;
  industryName: string;
  regionCode: string;
  regionName: string;
  address?: string;
  grade: Grade | null;
}

export interface ScanResponse {
  instrument: InstrumentView;
  business: BusinessSummary;
  latestVerification: VerificationView | null;
  status: VerificationStatus;
  signature: SignatureState;
  /** True only for a valid signature on an instrument whose status is valid or expiring. */
  trustworthy: boolean;
}
