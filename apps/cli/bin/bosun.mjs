#!/usr/bin/env node
// The `bosun` command: loads tsx so service modules written in TypeScript can be imported,
// then runs the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
