import type { AnyService } from '@bosun/core';

/** The PostgreSQL schema that holds a service's own tables (SCHEMA_PER_SERVICE). */
export function schemaOf(service: AnyService): string {
  return service.name.replaceAll('-', '_');
}
