import { AuditCreateLog1764000000000 } from './1764000000000-audit-create-log';
import { AuditRuntimeGrants1766000000000 } from './1766000000000-audit-runtime-grants';

export { AuditCreateLog1764000000000, AuditRuntimeGrants1766000000000 };

/** The audit library's migrations, in order; add them to each service DataSource's `migrations`. */
export const AuditMigrations = [AuditCreateLog1764000000000, AuditRuntimeGrants1766000000000];
