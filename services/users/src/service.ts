/**
 * users — sign-up, log-in and the user accounts of the bosun reference platform. One
 * definition serves REST (+ OpenAPI), MCP (tools, the `users://profile/{id}` resource, the
 * `user-analysis` prompt) and NATS RPC. Its tables live in its own `users` schema.
 *
 * Each operation is a file in operations/; this file only assembles them. Invariants are
 * listed by name in AGENTS.md.
 */
import { defineService } from '@bosun/core';
import { profileResource, userAnalysisPrompt } from './agent-surface.js';
import { migrations } from './migrations.js';
import { changePassword } from './operations/change-password.js';
import { getUser } from './operations/get-user.js';
import { jwks } from './operations/jwks.js';
import { listUsers } from './operations/list-users.js';
import { logIn } from './operations/log-in.js';
import { refresh } from './operations/refresh.js';
import { signUp } from './operations/sign-up.js';
import { updateUser } from './operations/update-user.js';
import { UserCreated } from './schemas.js';
import { usersEnv } from './users-env.js';

export { User, UserCreated } from './schemas.js';
export { usersErrors } from './users.errors.js';

export const users = defineService({
  name: 'users',
  version: '0.1.0',
  description:
    'User accounts: sign-up, log-in with EdDSA access tokens and rotating refresh tokens, profiles.',
  env: usersEnv,
  migrations,
  operations: { signUp, logIn, refresh, getUser, updateUser, listUsers, changePassword, jwks },
  events: { publishes: { 'user.created': UserCreated } },
  resources: { profile: profileResource },
  prompts: { 'user-analysis': userAnalysisPrompt },
});
