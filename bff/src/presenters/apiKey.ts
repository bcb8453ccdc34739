/** An API key as admins see it: never its hash, and the key itself only once, when issued. */
export const presentApiKey = (k: { _id: unknown; name: string; institution: string; prefix: string; createdAt?: Date; revokedAt?: Date | null; lastUsedAt?: Date | null }) => ({
  id: String(k._id),
  name: k.name,
  institution: k.institution,
  prefix: k.prefix,
  createdAt: k.createdAt?.toISOString(),
  revokedAt: k.revokedAt?.toISOString() ?? null,
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
});
