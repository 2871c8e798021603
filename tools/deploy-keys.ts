/**
 * Prints fresh secrets for the platform as an env file, one `NAME=value` a line:
 *   npm run deploy:keys > deploy/.env          # docker compose reads it (deploy/compose.yaml)
 *   kubectl create secret generic bosun-secrets --from-env-file=deploy/.env
 * Values are unquoted and contain no spaces, `#` or `$`, so both readers take them as is.
 * Ed25519 keys are JWK JSON: one per service (SERVICE_PRIVATE_KEY), SERVICE_TRUSTED_KEYS
 * with every service's public key, USERS_JWT_PRIVATE_KEY for user tokens, and the
 * webhook signing secret NOTIFICATIONS_WEBHOOK_SECRET and the dashboard's REGISTRY_ADMIN_TOKEN.
 * deploy/.env is ignored by git and by docker build; never commit it.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { platform, privateKeySecret, secretNames } from './deploy/platform.js';

const pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { private: privateKey.export({ format: 'jwk' }), public: publicKey.export({ format: 'jwk' }) };
};

const password = randomBytes(24).toString('hex');
const values = new Map<string, string>([
  ['POSTGRES_PASSWORD', password],
  ['DATABASE_URL', `postgres://bosun:${password}@postgres:5432/bosun`],
  ['USERS_JWT_PRIVATE_KEY', JSON.stringify(pair().private)],
  ['NOTIFICATIONS_WEBHOOK_SECRET', randomBytes(32).toString('hex')],
  ['REGISTRY_ADMIN_TOKEN', randomBytes(32).toString('hex')],
]);
const trusted: Record<string, unknown> = {};
for (const service of platform) {
  const keys = pair();
  values.set(privateKeySecret(service.name), JSON.stringify(keys.private));
  trusted[service.name] = keys.public;
}
values.set('SERVICE_TRUSTED_KEYS', JSON.stringify(trusted));

const missing = secretNames().filter((name) => !values.has(name));
if (missing.length > 0) {
  console.error(
    `deploy:keys does not know how to make ${missing.join(', ')}: add them to tools/deploy-keys.ts.`,
  );
  process.exit(1);
}
process.stdout.write(
  `# bosun platform secrets, generated ${new Date().toISOString()}. Never commit this file.\n`,
);
for (const [name, value] of values) process.stdout.write(`${name}=${value}\n`);
