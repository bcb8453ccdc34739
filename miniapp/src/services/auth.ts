import Taro from '@tarojs/taro';
import type { AuthResponse, SessionUser } from '@shared/api';
import { request } from './api/transport';

const SESSION_KEY = 'cxjl.session';
const DEVICE_ID_KEY = 'cxjl.deviceId';
/** Renew a little before the server's expiry so a request never leaves with a dying token. */
const EXPIRY_MARGIN_MS = 60_000;

interface StoredSession {
  token: string;
  expiresAt: number;
  user: SessionUser;
}

function readSession(): StoredSession | null {
  const session = Taro.getStorageSync<StoredSession | ''>(SESSION_KEY);
  return session && typeof session.token === 'string' ? session : null;
}

/** The stored token if it is still good, else null. */
export function readToken(): string | null {
  const session = readSession();
  return session && session.expiresAt - EXPIRY_MARGIN_MS > Date.now() ? session.token : null;
}

export function currentUser(): SessionUser | null {
  return readToken() ? (readSession()?.user ?? null) : null;
}

function storeSession(auth: AuthResponse): void {
  const session: StoredSession = { token: auth.token, expiresAt: Date.now() + auth.expiresIn * 1000, user: auth.user };
  Taro.setStorageSync(SESSION_KEY, session);
}

export function logout(): void {
  Taro.removeStorageSync(SESSION_KEY);
}

function randomDeviceId(): string {
  const bytes = new Uint8Array(16);
  if (typeof crypto !== 'undefined' && typeof crypto.getRandomValues === 'function') crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i += 1) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A browser without WeChat is identified by a random id kept in its storage, so it stays the same guest. */
function deviceId(): string {
  const stored = Taro.getStorageSync<string>(DEVICE_ID_KEY);
  if (stored) return stored;
  const created = randomDeviceId();
  Taro.setStorageSync(DEVICE_ID_KEY, created);
  return created;
}

async function loginWithWechat(): Promise<AuthResponse> {
  const { code } = await Taro.login();
  return request<AuthResponse>('/api/v1/auth/wechat', { method: 'POST', body: { code } });
}

function loginAsGuest(): Promise<AuthResponse> {
  return request<AuthResponse>('/api/v1/auth/guest', { method: 'POST', body: { deviceId: deviceId() } });
}

let pendingLogin: Promise<string> | null = null;

/** Log in afresh (WeChat in the mini-program, guest in a browser); concurrent callers share one login. */
export function renewLogin(): Promise<string> {
  if (!pendingLogin) {
    const login = process.env.TARO_ENV === 'weapp' ? loginWithWechat() : loginAsGuest();
    pendingLogin = login
      .then((auth) => {
        storeSession(auth);
        return auth.token;
      })
      .finally(() => {
        pendingLogin = null;
      });
  }
  return pendingLogin;
}

/** A valid token, logging in only when needed (actions such as likes and complaints call this). */
export async function ensureLogin(): Promise<string> {
  return readToken() ?? renewLogin();
}
