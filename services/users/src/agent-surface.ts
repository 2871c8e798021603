/**
 * What the users service offers AI agents beyond its tools (which are its operations):
 * the resource `users://profile/{id}` and the prompt `user-analysis`.
 *
 * Both apply SELF_OR_ADMIN when the caller is a user, like getUser. Neither shows the
 * password hash or any token (PASSWORD_NEVER_RETURNED).
 */
import { prompt, resource } from '@bosun/core';
import { z } from 'zod';
import { findProfile } from './user-profile.js';
import { assertSelfOrAdmin, db, type UsersContext } from './users-context.js';

export const profileResource = resource({
  uri: 'users://profile/{id}',
  title: 'A user profile',
  description: 'A user with account facts: when the password last changed, live sessions, last log-in.',
  mimeType: 'application/json',
  read: async ({ id }, ctx: UsersContext) => {
    const userId = decodeURIComponent(id ?? '');
    assertSelfOrAdmin(ctx, userId);
    return findProfile(db(ctx), userId);
  },
});

export const userAnalysisPrompt = prompt({
  title: 'Analyse a user account',
  description: 'Asks the model to review one account (age, sessions, password hygiene) and suggest actions.',
  args: { userId: z.string().describe('The id of the user to analyse.') },
  render: async ({ userId }, ctx: UsersContext) => {
    assertSelfOrAdmin(ctx, userId);
    const profile = await findProfile(db(ctx), userId);
    return [
      {
        role: 'user',
        text: [
          `Analyse the account of user ${profile.id} from this profile (JSON):`,
          '',
          JSON.stringify(profile, null, 2),
          '',
          'Summarise the account in three sentences: how old it is, how it is used (live sessions,',
          'last log-in) and how fresh its password is. Then list up to three concrete, low-risk',
          'actions an operator could take (for example: ask for a password change, end stale',
          'sessions), each with the reason. Do not guess facts the profile does not contain.',
        ].join('\n'),
      },
    ];
  },
});
