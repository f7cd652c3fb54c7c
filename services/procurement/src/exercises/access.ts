import type { Role } from '@imb/auth';

/**
 * Who may do what in the demand side of procurement: procurement officers write; federal
 * coordinators and auditors read (auditors are read-only by the platform's policy); every other
 * role is refused.
 */
export const PROCUREMENT_WRITERS: Role[] = ['procurement-officer'];
export const PROCUREMENT_READERS: Role[] = ['procurement-officer', 'federal-coordinator', 'auditor'];
