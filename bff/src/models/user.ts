import { Schema } from 'mongoose';

/**
 * Everyone who signs in: public users (keyed by WeChat openid), guests (browser device id),
 * and staff with a username and password (owner, regulator, verifier, admin).
 */
export const userSchema = new Schema(
  {
    role: { type: String, required: true, enum: ['public', 'guest', 'owner', 'regulator', 'verifier', 'admin'] },
    username: { type: String },
    passwordHash: { type: String },
    openid: { type: String },
    deviceId: { type: String },
    displayName: { type: String },
    /** Regulators only: the GB/T 2260 region they supervise. */
    regionCode: { type: String },
    /** Owners only: the businesses they are bound to. */
    businesses: [{ type: Schema.Types.ObjectId, ref: 'Business' }],
    /** Verifiers only: the verification institution they post for. */
    institution: { type: String },
    disabled: { type: Boolean, default: false },
    /**
     * Raised when the password is set anew: a session token carries the version it was issued
     * under (claim `sv`, absent = 0), and one of an older version is refused, so a reset ends
     * every session signed in with the old password (middleware/auth.ts).
     */
    sessionVersion: { type: Number, default: 0 },
    lastLoginAt: { type: Date },
    /**
     * Password-login throttle, kept on the account so it holds across restarts and instances:
     * attempts since the last success (reset after 15 quiet minutes), and the time before which
     * no password is checked. See services/passwordLogin.ts.
     */
    loginFailures: { type: Number, default: 0 },
    lastLoginFailureAt: { type: Date },
    loginLockedUntil: { type: Date },
  },
  { timestamps: true, autoIndex: false },
);
userSchema.index({ username: 1 }, { unique: true, partialFilterExpression: { username: { $type: 'string' } } });
userSchema.index({ openid: 1 }, { unique: true, partialFilterExpression: { openid: { $type: 'string' } } });
userSchema.index({ deviceId: 1 }, { unique: true, partialFilterExpression: { deviceId: { $type: 'string' } } });
