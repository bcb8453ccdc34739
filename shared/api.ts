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

/** GET /api/v1/client-config: run-time settings of the H5 app. */
export interface ClientConfigResponse {
  /** XYZ tile URL template ({x} {y} {z}, GCJ-02 Web Mercator) for the nearby map; null → list only. */
  mapTileUrl: string | null;
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

// ——— Public side (issue 9): likes, complaints, business search and pages, articles ———

/** `POST /api/v1/instruments/:code/likes`: the count after this like; `alreadyLiked` when this user liked it today (China day) already. */
export interface LikeResponse {
  likes: number;
  alreadyLiked: boolean;
}

/** `GET /api/v1/likes/mine`: an instrument the user liked, most recent first. */
export interface MyLikeView {
  id: string;
  /** China calendar day of the like, `YYYY-MM-DD`. */
  day: string;
  instrument: { code: string; categoryName: string };
  business: { id: string; name: string };
}

/** `POST /api/v1/complaints` → 201. */
export interface ComplaintCreated {
  id: string;
  trackingNo: string;
}

/** `POST /api/v1/complaints/photos` (multipart, field `photo`) → 201: an id to list in the complaint's `photos`. */
export interface PhotoUploaded {
  id: string;
  contentType: string;
  size: number;
}

export interface ComplaintHistoryEntry {
  status: string;
  statusName: string;
  /** ISO timestamp of the change. */
  at: string;
  /** What the handler wrote for the complainant, if anything. */
  note?: string;
}

/**
 * A complaint as its complainant sees it (`/complaints/mine`, `/complaints/:trackingNo`). Never
 * the contact, the complainant's id or any handler's internal note.
 */
export interface ComplaintView {
  id: string;
  trackingNo: string;
  category: string;
  categoryName: string;
  content: string;
  status: string;
  statusName: string;
  business: { id: string; name: string };
  instrument: { code: string; categoryName: string } | null;
  /** Paths of the photos, readable by the complainant with their token. */
  photos: string[];
  history: ComplaintHistoryEntry[];
  /** ISO timestamp. */
  createdAt: string;
}

/** A business in public lists; with `distance` (metres) when the search was `near`. */
export interface PublicBusinessItem extends BusinessSummary {
  /** `[lng, lat]` GCJ-02, or null when the business has no location. */
  location: [number, number] | null;
  /** Instruments in use; suspended and retired ones are not counted. */
  instrumentCount: number;
  /** Metres from the `near` point, whole; only in nearby searches, which are sorted by it. */
  distance?: number;
}

/** An instrument on a business page. */
export interface PublicInstrumentItem {
  code: string;
  category: string;
  categoryName: string;
  installLocation?: string;
  status: VerificationStatus;
  /** The China calendar day the current verification runs out, if any. */
  dueDate: string | null;
  likes: number;
}

/** `GET /api/v1/businesses/:id`: the business page. Later issues fill supervision, complaints and replies. */
export interface PublicBusinessDetail extends PublicBusinessItem {
  /** Instruments in use and suspended ones (status `suspended`), by code; retired ones are left out. At most 200. */
  instruments: PublicInstrumentItem[];
  /** How many of the listed instruments are in each verification status. */
  statusCounts: Partial<Record<VerificationStatus, number>>;
  /** Published supervision (inspection) records; empty until the supervision issue. */
  supervision: Array<{ id: string; date: string; result: string; summary: string }>;
  complaintStats: { total: number; resolved: number };
  /** The owner's public replies; empty until the owner issue. */
  replies: Array<{ id: string; date: string; text: string }>;
}

export interface ArticleSummary {
  id: string;
  title: string;
  category: string;
  categoryName: string;
  summary: string;
  /** Who issued the text (全国人民代表大会常务委员会, 国务院 …). */
  source: string;
  /** China calendar day it was published or took effect, `YYYY-MM-DD`. */
  publishedOn: string;
}

export interface ArticleView extends ArticleSummary {
  /** The body, one string per paragraph (plain text; no HTML ever reaches the page). */
  paragraphs: string[];
}

// ——— Admin workspace (issue 10): staff lists, dashboard, users ———

/** A row of `GET /api/v1/admin/instruments`: the staff view with its verification status as of today. */
export interface StaffInstrumentItem extends InstrumentView {
  regionCode: string;
  /** ISO timestamps. */
  createdAt?: string;
  updatedAt?: string;
  /** As shared/verification.ts `verificationStatus` gives it today (China day). */
  verificationStatus: VerificationStatus;
  /** The latest verification by date; `dueDate` is the certificate's, else the category's cycle (null: no cycle). */
  latestVerification: { date: string; result: 'pass' | 'fail'; dueDate: string | null } | null;
}

/**
 * One industry's figures on the dashboard (an instrument belongs to its business's industry).
 * Every count is of the region the dashboard is for.
 */
export interface DashboardIndustryRow {
  industry: string;
  industryName: string;
  /** Businesses in business (status active). */
  businesses: number;
  /** Instruments in use (not suspended or retired): the denominator of verificationRate. */
  instruments: number;
  /** Instruments in use whose status is valid or expiring: the numerator of verificationRate. */
  verified: number;
  /** Verifications dated in the 12 months of `trend` (any instrument of the region, in use or not). */
  verifications: number;
  /** Of those, the ones passed (合格). */
  passed: number;
  /** 检定率 = verified ÷ instruments, 0..1; null when there is no instrument in use. */
  verificationRate: number | null;
  /** 合格率 = passed ÷ verifications, 0..1; null when there was no verification in the 12 months. */
  passRate: number | null;
}

/**
 * `GET /api/v1/admin/dashboard[?region=<2–6 digits>]`: a regulator's own region (a narrower
 * `region` inside it may be asked for); an admin's whole country or the `region` asked for.
 * Statuses are those of shared/verification.ts as of `asOf`.
 */
export interface DashboardResponse {
  /** The region the figures are for: GB/T 2260 6-digit code and name; code null = every region (全国). */
  region: { code: string | null; name: string };
  /** The China calendar day the statuses are computed for, `YYYY-MM-DD`. */
  asOf: string;
  /** The sums of `byIndustry`, with the same meaning; overdue and expiring count instruments in use. */
  totals: {
    businesses: number;
    instruments: number;
    verified: number;
    verifications: number;
    passed: number;
    verificationRate: number | null;
    passRate: number | null;
    /** Instruments in use whose last verification passed and whose due day is before asOf. */
    overdue: number;
    /** Instruments in use whose last verification passed and which fall due within 30 days (asOf included). */
    expiring: number;
  };
  /** Every industry of the catalogue, in its order, zeros included. */
  byIndustry: DashboardIndustryRow[];
  /** The same as totals.overdue and totals.expiring: the lists `/admin/instruments?due=overdue` and `?due=30` hold exactly these. */
  dueSoon: { overdue: number; expiring: number };
  /** The 12 China calendar months up to and including asOf's, oldest first; months without verifications are zeros. */
  trend: Array<{ month: string; verifications: number; passed: number }>;
}

/** A staff account as admins see it (`/api/v1/admin/users`): never its password hash. */
export interface StaffUserView {
  id: string;
  username: string;
  role: 'regulator' | 'verifier' | 'admin' | 'owner';
  displayName: string | null;
  /** Regulators: the GB/T 2260 region they supervise, with its name. */
  regionCode: string | null;
  regionName: string | null;
  /** Verifiers: the institution they post for. */
  institution: string | null;
  disabled: boolean;
  /** ISO timestamps. */
  createdAt: string | null;
  lastLoginAt: string | null;
}

/** A row of `GET /api/v1/admin/verifications`: a verification with the instrument and business it is about. */
export interface AdminVerificationItem extends VerificationView {
  verifier: string | null;
  /** 1 for the first version of the certificate, +1 per amendment. */
  revision: number;
  instrument: { id: string; code: string; category: string; categoryName: string };
  business: { id: string; name: string };
  regionCode: string;
  regionName: string;
  /** ISO timestamp of when it was posted (or last amended). */
  postedAt: string | null;
}

/** One bad cell (or row) of a CSV import: where it is and why, in Chinese (`message`). */
export interface ImportRowError {
  /** The line in the file (the header is line 1). */
  line: number;
  /** The column's header name and its 1-based position in the file. */
  column?: string;
  columnNumber?: number;
  code: string;
  message: string;
  /** The field rule that failed, as the API reports it (`too_big`, `EXTERNAL_CODE_REPEATED`, …). */
  reason?: string;
}

/**
 * `POST /api/v1/admin/instruments/import`: the body of a 200, and the `details` of a 400
 * IMPORT_REJECTED (then `imported` is 0 and `items` empty).
 */
export interface ImportReport {
  imported: number;
  /** Data rows not imported (all of them when the file was refused). */
  failed: number;
  errors: ImportRowError[];
  /** The instruments made, with the line each came from and the business it belongs to. */
  items: Array<{ line: number; id: string; code: string; businessId: string }>;
}
