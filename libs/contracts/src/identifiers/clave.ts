/** Groups of the national supply compendium: medicines, dairy formulas, psychotropics, healing material, radiology, laboratory. */
export const CLAVE_GROUPS = ['010', '030', '040', '060', '070', '080'] as const;

const CLAVE = /^(\d{3})\.(\d{3})\.(\d{4})(\.\d{2})?$/;

/** Why `value` is not a compendium clave (GGG.GGG.EEEE.VV or GGG.GGG.EEEE), or null if it is. */
export function claveProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'clave must be a string';
  const m = CLAVE.exec(value);
  if (!m) return `"${value}" is not a clave: expected GGG.GGG.EEEE.VV (e.g. 010.000.0104.00) or GGG.GGG.EEEE`;
  if (!(CLAVE_GROUPS as readonly string[]).includes(m[1])) {
    return `"${value}" is in group ${m[1]}, which is not one of ${CLAVE_GROUPS.join(', ')}`;
  }
  return null;
}

export function isClave(value: unknown): value is string {
  return claveProblem(value) === null;
}
