/**
 * What a scan means to the person holding the phone: the words of the status badge, its colour
 * family, and the forged-label warning. The instrument page and the BFF's pre-rendered first
 * paint of a label URL both read it, so the two can never say different things.
 */
import type { ScanResponse, VerificationStatus } from './api';

export type Tone = 'good' | 'warn' | 'bad' | 'muted';

export interface StatusDisplay {
  text: string;
  tone: Tone;
  hint: string;
  /** A glyph that carries the verdict without colour (read out as part of `text`, so hidden from screen readers). */
  icon: string;
}

/** How each verification status reads on the badge: words, an icon, and its colour family. */
export const STATUS_DISPLAY: Record<VerificationStatus, StatusDisplay> = {
  valid: { text: '检定合格', tone: 'good', hint: '在检定有效期内', icon: '✓' },
  expiring: { text: '即将到期', tone: 'warn', hint: '检定有效期将在 30 天内届满', icon: '!' },
  overdue: { text: '检定过期', tone: 'bad', hint: '已超过检定有效期，不应继续使用', icon: '✕' },
  failed: { text: '检定不合格', tone: 'bad', hint: '最近一次检定未通过', icon: '✕' },
  unverified: { text: '未检定', tone: 'muted', hint: '平台上没有该器具的检定记录', icon: '?' },
  suspended: { text: '已停用', tone: 'muted', hint: '该器具已停止使用', icon: '—' },
};

export const FORGED_LABEL = {
  title: '疑似伪造标签',
  text: '此标签的防伪签名未通过核验，可能不是平台发放的标签。请勿据此信任该器具，可向市场监管部门反映。',
  /** Under the badge of a forged label: the status shown is the registered instrument's, not the one in front of you. */
  statusHint: '这是平台登记的同一识别码器具的状态，不代表眼前的器具',
  /** A forged label's badge never shows a tick, whatever the registered instrument's status. */
  icon: '?',
} as const;

export const MANUAL_CODE_NOTE = '手动输入的识别码，无法核验标签真伪';

export interface ScanVerdict {
  status: VerificationStatus;
  text: string;
  hint: string;
  icon: string;
  tone: Tone;
  /** The label's signature failed: show the forged-label warning, and the badge muted. */
  forged: boolean;
  /** The integrity seal may be shown: the server's trust verdict with a valid signature. */
  sealed: boolean;
}

export function scanVerdict(scan: Pick<ScanResponse, 'status' | 'signature' | 'trustworthy'>): ScanVerdict {
  const display = STATUS_DISPLAY[scan.status];
  const forged = scan.signature === 'invalid';
  return {
    status: scan.status,
    text: display.text,
    hint: forged ? FORGED_LABEL.statusHint : display.hint,
    icon: forged ? FORGED_LABEL.icon : display.icon,
    // A forged label may copy a good instrument's code: its registered status must not read as a green light.
    tone: forged ? 'muted' : display.tone,
    forged,
    sealed: scan.trustworthy && scan.signature === 'valid',
  };
}
