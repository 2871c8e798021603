/** Records a running job's progress ({ value, message }). ATTEMPT_FENCED. */
import type { Statement, Tables } from './tables.js';

export function progressSql(t: Tables): Statement {
  return {
    name: `${t.prefix}progress`,
    text: `UPDATE ${t.job} SET progress = $3::jsonb WHERE id = $1 AND attempt = $2 AND state = 'active'`,
  };
}
