/** Which of the tables feeding the figures exist (they belong to the units and stages features). */
export interface ProgressSources {
  units: boolean;
  checklist: boolean;
}

/** One row per state transfer, as returned by {@link progressQuery}. */
export interface ProgressQueryRow {
  state_code: string;
  state_name: string;
  stage: string;
  stage_since: Date;
  units_by_status: Record<string, number>;
  open_gate_items: number;
  computed_at: Date;
}

/**
 * The figures of every state (or only of `$1` when `oneState`) in one statement: unit counts per
 * status, open items of the gate of each transfer's current stage in the definition version it
 * runs on, and the database clock. A source table that does not exist counts as empty.
 */
export function progressQuery(sources: ProgressSources, oneState: boolean): string {
  const only = (column: string) => (oneState ? `WHERE ${column} = $1` : '');
  const units = sources.units
    ? `(SELECT state_code, jsonb_object_agg(status, n) AS by_status
          FROM (SELECT state_code, status, count(*)::int AS n FROM unit ${only('state_code')} GROUP BY state_code, status) per_status
         GROUP BY state_code)`
    : `(SELECT NULL::char(2) AS state_code, NULL::jsonb AS by_status WHERE false)`;
  const gates = sources.checklist
    ? `(SELECT c.state_code, count(*)::int AS open_items
          FROM checklist_item c
          JOIN state_transfer current
            ON current.state_code = c.state_code
           AND current.definition_version = c.definition_version
           AND current.stage = c.stage
         WHERE NOT c.done ${oneState ? 'AND c.state_code = $1' : ''}
         GROUP BY c.state_code)`
    : `(SELECT NULL::char(2) AS state_code, 0 AS open_items WHERE false)`;
  return `
    SELECT t.state_code, t.state_name, t.stage, t.stage_since,
           COALESCE(u.by_status, '{}'::jsonb) AS units_by_status,
           COALESCE(g.open_items, 0)::int AS open_gate_items,
           now() AS computed_at
      FROM state_transfer t
      LEFT JOIN ${units} u ON u.state_code = t.state_code
      LEFT JOIN ${gates} g ON g.state_code = t.state_code
      ${only('t.state_code')}
     ORDER BY t.state_code`;
}
