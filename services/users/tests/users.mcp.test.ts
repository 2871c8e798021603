/**
 * The users service as an AI agent sees it: the MCP SDK's own Client over Streamable HTTP
 * at the `mcp` URL the process logs in its "serving" line.
 */
import { useTestDatabase } from '@bosun/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, test } from 'vitest';
import { startUsers } from './users-process.js';

describe('the users service over MCP', () => {
  const db = useTestDatabase({ label: 'users_mcp' });

  test('tools, the users://profile/{id} resource, the user-analysis prompt and coded errors', async () => {
    const { proc, mcp } = await startUsers(db.url);
    const client = new Client({ name: 'bosun-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcp)));
    const secret = 'mcp correct horse battery';
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual([
        'changePassword',
        'getUser',
        'listUsers',
        'logIn',
        'refresh',
        'signUp',
        'updateUser',
      ]);
      expect(tools.find((t) => t.name === 'getUser')?.annotations?.readOnlyHint).toBe(true);

      const created = await client.callTool({
        name: 'signUp',
        arguments: { email: 'hedy@example.com', password: secret, name: 'Hedy Lamarr' },
      });
      expect(created.isError).toBeFalsy();
      const user = created.structuredContent as { id: string; email: string };
      expect(user.email).toBe('hedy@example.com');

      const loggedIn = await client.callTool({
        name: 'logIn',
        arguments: { email: 'hedy@example.com', password: secret },
      });
      expect(loggedIn.isError).toBeFalsy();

      const { resourceTemplates } = await client.listResourceTemplates();
      expect(resourceTemplates.map((t) => t.uriTemplate)).toContain('users://profile/{id}');
      const read = await client.readResource({ uri: `users://profile/${user.id}` });
      const content = read.contents[0];
      const profile = content && 'text' in content ? JSON.parse(content.text) : undefined;
      expect(profile).toMatchObject({ id: user.id, name: 'Hedy Lamarr', activeSessions: 1 });
      expect(JSON.stringify(read)).not.toMatch(/scrypt\$|password_hash/);

      const prompt = await client.getPrompt({ name: 'user-analysis', arguments: { userId: user.id } });
      const text = JSON.stringify(prompt.messages);
      expect(text).toContain(`Analyse the account of user ${user.id}`);
      expect(text).toContain('Hedy Lamarr');

      const missing = await client.callTool({
        name: 'getUser',
        arguments: { id: '01890000-0000-7000-8000-000000000000' },
      });
      expect(missing.isError).toBe(true);
      expect(JSON.stringify(missing.content)).toContain('USERS_NOT_FOUND');

      const wrong = await client.callTool({
        name: 'logIn',
        arguments: { email: 'hedy@example.com', password: 'not the password' },
      });
      expect(wrong.isError).toBe(true);
      expect(JSON.stringify(wrong.content)).toContain('USERS_INVALID_CREDENTIALS');

      await expect(client.readResource({ uri: 'users://profile/nobody' })).rejects.toThrow(/USERS_NOT_FOUND/);
    } finally {
      await client.close();
    }
    expect(proc.stdout).not.toContain(secret);
    proc.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);
  });
});
