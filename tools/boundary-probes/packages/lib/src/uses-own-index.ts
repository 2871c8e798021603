// PROBE no-own-index: a module importing its own package's public index.
import { a } from './index.js';
export const viaIndex = a;
