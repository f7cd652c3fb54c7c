/**
 * SQL condition (over the `state` read model aliased `s`) for a state that has joined
 * IMSS-BIENESTAR: its agreement is signed, so it is past DIAGNOSIS and neither declined nor
 * suspended. A state this service has not heard of has not joined.
 */
export const STATE_JOINED_SQL = `coalesce(s.stage NOT IN ('DIAGNOSIS', 'DECLINED', 'SUSPENDED'), false)`;
