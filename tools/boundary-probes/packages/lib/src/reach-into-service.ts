// PROBE packages-not-to-services-or-apps: a library importing a deployable.
import { secret } from '../../../services/beta/src/internal.js';
export const leaked = secret;
