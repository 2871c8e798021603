/**
 * The queue's migrations in order. MIGRATIONS_FORWARD_ONLY: append new files
 * (`NNN-name.sql.ts`); never edit or reorder a released one.
 */
import type { Migration } from '@bosun/core';
import { migration001 } from './001-initial.sql.js';
import { migration002 } from './002-archive-list-index.sql.js';
import { migration003 } from './003-traceparent.sql.js';

export const queueMigrations: ReadonlyArray<Migration> = [migration001, migration002, migration003];
