// PROBE services-not-to-other-services: a service importing another service's code.
import { secret } from '../../beta/src/internal.js';
export const stolen = secret;
