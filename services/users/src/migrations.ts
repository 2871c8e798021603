/**
 * The users service's schema, as numbered forward-only migrations (applied by the runtime
 * in the schema named `users`, serialised across replicas; SCHEMA_PER_SERVICE).
 *
 * Invariants:
 * - EMAIL_IS_UNIQUE_CASE_INSENSITIVELY: the unique index is on lower(email); sign-up maps
 *   its violation to USERS_EMAIL_TAKEN.
 * - REFRESH_TOKENS_STORED_HASHED: `refresh_tokens.token_hash` is SHA-256 of the opaque
 *   token; the token itself is never stored.
 * Never edit an applied migration; add the next number.
 */
export const migrations = [
  {
    name: '001-users',
    sql: `CREATE TABLE users (
            id uuid PRIMARY KEY,
            email text NOT NULL,
            name text NOT NULL,
            password_hash text NOT NULL,
            scopes text[] NOT NULL DEFAULT ARRAY['users:read', 'users:write'],
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            password_changed_at timestamptz NOT NULL DEFAULT now());
          CREATE UNIQUE INDEX users_email_key ON users (lower(email));`,
  },
  {
    name: '002-refresh-tokens',
    sql: `CREATE TABLE refresh_tokens (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            family_id uuid NOT NULL,
            token_hash bytea NOT NULL UNIQUE,
            expires_at timestamptz NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            used_at timestamptz,
            revoked_at timestamptz);
          CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id);
          CREATE INDEX refresh_tokens_family_id_idx ON refresh_tokens (family_id);`,
  },
] as const;
