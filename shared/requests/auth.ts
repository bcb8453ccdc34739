import { z } from 'zod';
import { textLine } from '@shared/text';

export const WechatLogin = z.object({
  /** The code from wx.login(), valid once for five minutes. */
  code: z.string().min(1).max(64).regex(/^[\x21-\x7e]+$/, 'printable ASCII'),
});

export const GuestLogin = z.object({
  /** A random id the browser keeps in local storage. */
  deviceId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8–64 letters, digits, _ or -'),
});

export const PasswordLogin = z.object({
  username: textLine({ min: 1, max: 64 }),
  password: z.string().min(1).max(256),
});
